/**
 * Large layer files for the CLI (`blueprint:import`): GeoJSON streamed feature by feature (the text
 * never sits in memory as one object), or a zipped Shapefile read record by record. Features go to
 * storeLayer in batches, inside one transaction: a bad feature anywhere leaves nothing behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { parseFeature, type LayerKind, type ParsedFeature } from './blueprint.rules';
import { dbfEncoding } from './dbf-encoding.rules';
import {
  crsFromEpsg,
  crsFromGeoJsonMember,
  crsFromPrj,
  reprojectFeature,
  toCgcs2000,
  type Crs,
  type Transform,
} from './crs.rules';
import { FEATURE_BATCH, parseKind, storeLayer } from './layer.service';

/** What the stream says besides its features: the top-level `crs` member's text, and where it stood. */
export interface StreamMeta {
  crs?: string;
  crsAfterFeatures?: boolean;
}

/**
 * Yields the text of each element of the top-level "features" array of a GeoJSON stream, by tracking
 * brackets and strings (enough for RFC 7946 FeatureCollections of any size). A top-level `crs` member
 * is kept in `meta` (GDAL and QGIS write it before the features).
 */
export async function* streamFeatureTexts(
  chunks: AsyncIterable<string>,
  /** One feature's text may not grow beyond this (a single giant feature would otherwise fill memory). */
  maxFeatureChars = 64 * 1024 * 1024,
  meta: StreamMeta = {},
): AsyncGenerator<string> {
  let crsText: string | null = null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let featuresDepth = -1; // depth of the features array once found
  let keyBuffer = '';
  let current = '';
  let collecting = false;
  for await (const chunk of chunks) {
    for (const ch of chunk) {
      if (crsText !== null) {
        crsText += ch;
        if (crsText.length > 64 * 1024) {
          throw new DomainError('VALIDATION_FAILED', 'crs 成员过长 (crs member too long)', { field: 'crs' });
        }
      }
      if (collecting) {
        current += ch;
        if (current.length > maxFeatureChars) {
          throw tooLarge(
            'IMPORT_MAX_UNCOMPRESSED_BYTES',
            `单个要素超过 ${maxFeatureChars} 字符 (one feature is too large)`,
            { max: maxFeatureChars },
          );
        }
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        else if (featuresDepth <= 0) keyBuffer += ch;
        continue;
      }
      if (ch === '"') {
        inString = true;
        if (featuresDepth <= 0) keyBuffer = '';
        continue;
      }
      if (ch === '{' || ch === '[') {
        depth++;
        if (featuresDepth <= 0 && ch === '{' && keyBuffer === 'crs' && depth === 2 && crsText === null) {
          crsText = ch;
          meta.crsAfterFeatures = featuresDepth === 0;
        } else if (featuresDepth < 0 && ch === '[' && keyBuffer === 'features' && depth === 2) {
          featuresDepth = depth;
        } else if (featuresDepth > 0 && depth === featuresDepth + 1 && !collecting) {
          collecting = true;
          current = ch;
        }
      } else if (ch === '}' || ch === ']') {
        if (collecting && depth === featuresDepth + 1) {
          collecting = false;
          yield current;
          current = '';
        }
        if (depth === featuresDepth && ch === ']') featuresDepth = 0; // array finished: ignore the rest
        if (crsText !== null && depth === 2 && ch === '}' && meta.crs === undefined) {
          meta.crs = crsText;
          crsText = null;
        }
        depth--;
      } else if (ch !== ':' && ch !== ',' && !/\s/.test(ch) && featuresDepth <= 0) {
        keyBuffer = '';
      }
    }
  }
  if (featuresDepth < 0)
    throw new DomainError(
      'VALIDATION_FAILED',
      '文件不是 FeatureCollection：未找到 features 数组 (no features array)',
      { field: 'file' },
    );
}

async function* counted(stream: AsyncIterable<string>, read: { bytes: number }) {
  for await (const chunk of stream) {
    read.bytes += Buffer.byteLength(chunk);
    yield chunk;
  }
}

function crsOfStream(meta: StreamMeta): Crs {
  let member: unknown;
  try {
    member = meta.crs === undefined ? undefined : (JSON.parse(meta.crs) as unknown);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'crs 成员不是合法 JSON (malformed crs member)', {
      field: 'crs',
    });
  }
  return crsFromGeoJsonMember(member, 'crs');
}

async function* geoJsonFeatures(file: string, read: { bytes: number }): AsyncGenerator<unknown> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let n = 0;
  const meta: StreamMeta = {};
  // Decided at the first feature: the crs member, when there is one, has been read by then.
  let toDegrees: Transform | null | undefined;
  for await (const text of streamFeatureTexts(
    counted(stream as AsyncIterable<string>, read),
    undefined,
    meta,
  )) {
    n++;
    toDegrees ??= toCgcs2000(crsOfStream(meta));
    let feature: unknown;
    try {
      feature = JSON.parse(text) as unknown;
    } catch {
      throw new DomainError(
        'VALIDATION_FAILED',
        `第 ${n} 个要素不是合法 JSON (feature ${n} is not valid JSON)`,
        { field: `features.${n - 1}` },
      );
    }
    yield reprojectFeature(feature, toDegrees);
  }
  if (meta.crsAfterFeatures && crsOfStream(meta).proj !== null) {
    // Features already read as degrees were in fact projected: refuse rather than store them wrongly.
    throw new DomainError(
      'VALIDATION_FAILED',
      'crs 成员位于 features 之后：请把 crs 放在 features 之前 (the crs member must precede the features)',
      { field: 'crs' },
    );
  }
}

/** Limits on what an import may unpack (IMPORT_MAX_*): a zip bomb is refused while it streams. */
export interface ImportLimits {
  /** Bytes the archive may expand to in total (and the most a GeoJSON file may hold). */
  maxUncompressedBytes: number;
  /** Expanded bytes per byte of archive. */
  maxRatio: number;
  /** Entries in the archive. */
  maxEntries: number;
}

const defaultLimits = (): ImportLimits => {
  const c = loadConfig();
  return {
    maxUncompressedBytes: c.importMaxUncompressedBytes,
    maxRatio: c.importMaxRatio,
    maxEntries: c.importMaxEntries,
  };
};

function tooLarge(limit: string, message: string, details: Record<string, number>) {
  return new DomainError('PAYLOAD_TOO_LARGE', `${message} (${limit})`, {
    field: 'file',
    details: { limit, ...details },
  });
}

/** The entry count the zip's end-of-central-directory record declares, or null when none is found. */
export function declaredZipEntries(zipFile: string): number | null {
  const size = fs.statSync(zipFile).size;
  const tail = Math.min(size, 22 + 0xffff);
  const buf = Buffer.alloc(tail);
  const fd = fs.openSync(zipFile, 'r');
  try {
    fs.readSync(fd, buf, 0, tail, size - tail);
  } finally {
    fs.closeSync(fd);
  }
  for (let i = tail - 22; i >= 0; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return buf.readUInt16LE(i + 10);
  }
  return null;
}

/** Bytes of compressed input handed to the inflater at a time: at most ~1032 × this comes out at once. */
const PUSH_BYTES = 4096;
const WANTED = ['.shp', '.dbf', '.cpg', '.prj'];

/**
 * Unpacks the Shapefile parts of a zip into `dir`, streaming: the archive is read in small slices and
 * every inflated chunk goes straight to disk, so memory stays bounded whatever the archive claims.
 * Entries, expanded bytes and the expansion ratio are counted as they happen (declared sizes are not
 * trusted) and the first limit crossed stops the work with 413 naming it.
 */
export async function extractShapefileParts(
  zipFile: string,
  dir: string,
  limits: ImportLimits,
): Promise<string[]> {
  const { Unzip, UnzipInflate } = await import('fflate');
  const archiveBytes = Math.max(1, fs.statSync(zipFile).size);
  const declared = declaredZipEntries(zipFile);
  if (declared !== null && declared > limits.maxEntries) {
    throw tooLarge(
      'IMPORT_MAX_ENTRIES',
      `压缩包有 ${declared} 个文件，超过 ${limits.maxEntries} 个上限 (too many entries)`,
      { entries: declared, max: limits.maxEntries },
    );
  }
  let entries = 0;
  let expanded = 0;
  let failure: Error | null = null;
  const written: string[] = [];
  const open = new Set<number>();
  const check = () => {
    if (expanded > limits.maxUncompressedBytes) {
      failure = tooLarge(
        'IMPORT_MAX_UNCOMPRESSED_BYTES',
        `解压后超过 ${limits.maxUncompressedBytes} 字节上限 (archive expands beyond the limit)`,
        { max: limits.maxUncompressedBytes },
      );
    } else if (expanded / archiveBytes > limits.maxRatio) {
      failure = tooLarge(
        'IMPORT_MAX_RATIO',
        `解压比超过 ${limits.maxRatio} 倍上限 (compression ratio beyond the limit, archive ${archiveBytes} bytes)`,
        { max: limits.maxRatio, archiveBytes },
      );
    }
  };
  const unzip = new Unzip((file) => {
    if (failure) return;
    entries++;
    if (entries > limits.maxEntries) {
      failure = tooLarge(
        'IMPORT_MAX_ENTRIES',
        `压缩包超过 ${limits.maxEntries} 个文件上限 (too many entries)`,
        { max: limits.maxEntries },
      );
      return;
    }
    const base = file.name.split(/[\\/]/).pop() ?? '';
    const wanted = !file.name.endsWith('/') && WANTED.some((e) => base.toLowerCase().endsWith(e));
    if (!wanted) {
      // Skipped without inflating; its declared size still counts towards the total.
      expanded += file.originalSize ?? 0;
      check();
      return;
    }
    // Entry names never choose the path: each part is written as <index>-<base name> inside dir.
    const target = path.join(dir, `${entries}-${base.replace(/[^\p{L}\p{N}._-]/gu, '_')}`);
    const fd = fs.openSync(target, 'wx');
    open.add(fd);
    written.push(target);
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new DomainError('VALIDATION_FAILED', `压缩包损坏 (corrupt zip: ${err.message})`, {
          field: 'file',
        });
        return;
      }
      expanded += chunk.length;
      check();
      if (failure) return;
      fs.writeSync(fd, chunk);
      if (final) {
        open.delete(fd);
        fs.closeSync(fd);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const stream = fs.createReadStream(zipFile, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length && !failure; at += PUSH_BYTES) {
        unzip.push(chunk.subarray(at, at + PUSH_BYTES));
      }
      if (failure) break;
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (err) {
    failure ??= new DomainError(
      'VALIDATION_FAILED',
      `压缩包无法读取 (unreadable zip: ${(err as Error).message})`,
      { field: 'file' },
    );
  } finally {
    stream.destroy();
    for (const fd of open) fs.closeSync(fd);
  }
  if (failure) throw failure;
  return written;
}

/** The first `bytes` of a file (or all of a smaller one). */
function readHead(file: string, bytes: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

async function* shapefileFeatures(zipFile: string, limits: ImportLimits): AsyncGenerator<unknown> {
  const shapefile = await import('shapefile');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-layer-import-'));
  try {
    const parts = await extractShapefileParts(zipFile, dir, limits);
    const baseOf = (p: string) => path.basename(p).replace(/^\d+-/, '');
    const shp = parts.find((p) => p.toLowerCase().endsWith('.shp'));
    if (!shp)
      throw new DomainError('VALIDATION_FAILED', 'zip 中没有 .shp 文件 (no .shp in the zip)', {
        field: 'file',
      });
    const stem = baseOf(shp).slice(0, -4).toLowerCase();
    const sibling = (ext: string) => parts.find((p) => baseOf(p).toLowerCase() === `${stem}${ext}`);
    const dbf = sibling('.dbf');
    const cpg = sibling('.cpg');
    const encoding = dbf
      ? dbfEncoding(cpg ? fs.readFileSync(cpg, 'utf8').slice(0, 40) : null, readHead(dbf, 64 * 1024))
      : 'utf-8';
    // The .prj names the coordinate system; without one the file is taken as CGCS2000 degrees.
    const prj = sibling('.prj');
    const crs = prj ? crsFromPrj(fs.readFileSync(prj, 'utf8'), 'file.prj') : crsFromEpsg(4490)!;
    const toDegrees = toCgcs2000(crs);
    const source = await shapefile.open(shp, dbf, { encoding });
    for (;;) {
      const r = await source.read();
      if (r.done) return;
      yield reprojectFeature(r.value as unknown, toDegrees);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function* parsedBatches(
  features: AsyncIterable<unknown>,
  kind: LayerKind,
): AsyncGenerator<ParsedFeature[]> {
  let batch: ParsedFeature[] = [];
  let no = 0;
  for await (const f of features) {
    no++;
    batch.push(parseFeature(f, no, kind, `features.${no - 1}`));
    if (batch.length >= FEATURE_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function importLayerFile(
  db: Kysely<DB>,
  now: Date,
  opts: {
    name: string;
    kind: string;
    file: string;
    onProgress?: (stored: number, bytesRead: number, totalBytes: number) => void;
    /** Defaults to the IMPORT_MAX_* defaults of the configuration. */
    limits?: Partial<ImportLimits>;
  },
) {
  const kind = parseKind(opts.kind, 'kind');
  const limits = { ...defaultLimits(), ...opts.limits };
  const totalBytes = fs.statSync(opts.file).size;
  const isZip = opts.file.toLowerCase().endsWith('.zip');
  if (!isZip && totalBytes > limits.maxUncompressedBytes) {
    throw tooLarge(
      'IMPORT_MAX_UNCOMPRESSED_BYTES',
      `文件 ${totalBytes} 字节，超过 ${limits.maxUncompressedBytes} 字节上限 (file beyond the limit)`,
      { bytes: totalBytes, max: limits.maxUncompressedBytes },
    );
  }
  const read = { bytes: 0 };
  const features = isZip ? shapefileFeatures(opts.file, limits) : geoJsonFeatures(opts.file, read);
  return storeLayer(db, null, now, {
    name: opts.name,
    kind,
    batches: parsedBatches(features, kind),
    onProgress: (stored) => opts.onProgress?.(stored, isZip ? totalBytes : read.bytes, totalBytes),
  });
}
