/**
 * Large layer files for the CLI (`blueprint:import`): GeoJSON streamed feature by feature (the text
 * never sits in memory as one object), or a zipped Shapefile read record by record. Features go to
 * storeLayer in batches, inside one transaction: a bad feature anywhere leaves nothing behind.
 */
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { parseFeature, type LayerKind, type ParsedFeature } from './blueprint.rules';
import { FEATURE_BATCH, parseKind, storeLayer } from './layer.service';

/**
 * Yields the text of each element of the top-level "features" array of a GeoJSON stream, by tracking
 * brackets and strings (enough for RFC 7946 FeatureCollections of any size).
 */
export async function* streamFeatureTexts(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let featuresDepth = -1; // depth of the features array once found
  let keyBuffer = '';
  let current = '';
  let collecting = false;
  for await (const chunk of chunks) {
    for (const ch of chunk) {
      if (collecting) current += ch;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        else if (featuresDepth < 0) keyBuffer += ch;
        continue;
      }
      if (ch === '"') {
        inString = true;
        if (featuresDepth < 0) keyBuffer = '';
        continue;
      }
      if (ch === '{' || ch === '[') {
        depth++;
        if (featuresDepth < 0 && ch === '[' && keyBuffer === 'features' && depth === 2) {
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
        depth--;
      } else if (ch !== ':' && ch !== ',' && !/\s/.test(ch) && featuresDepth < 0) {
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

async function* geoJsonFeatures(file: string, read: { bytes: number }): AsyncGenerator<unknown> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let n = 0;
  for await (const text of streamFeatureTexts(counted(stream as AsyncIterable<string>, read))) {
    n++;
    try {
      yield JSON.parse(text) as unknown;
    } catch {
      throw new DomainError(
        'VALIDATION_FAILED',
        `第 ${n} 个要素不是合法 JSON (feature ${n} is not valid JSON)`,
        { field: `features.${n - 1}` },
      );
    }
  }
}

async function* shapefileFeatures(zipFile: string): AsyncGenerator<unknown> {
  const { unzipSync } = await import('fflate');
  const shapefile = await import('shapefile');
  const files = unzipSync(new Uint8Array(fs.readFileSync(zipFile)));
  const names = Object.keys(files);
  const shp = names.find((n) => n.toLowerCase().endsWith('.shp'));
  if (!shp)
    throw new DomainError('VALIDATION_FAILED', 'zip 中没有 .shp 文件 (no .shp in the zip)', {
      field: 'file',
    });
  const base = shp.slice(0, -4);
  const dbf = names.find((n) => n.toLowerCase() === `${base.toLowerCase()}.dbf`);
  const cpg = names.find((n) => n.toLowerCase() === `${base.toLowerCase()}.cpg`);
  const encoding = cpg ? new TextDecoder().decode(files[cpg]).trim() || 'utf-8' : 'utf-8';
  const source = await shapefile.open(files[shp]!, dbf ? files[dbf] : undefined, { encoding });
  for (;;) {
    const r = await source.read();
    if (r.done) return;
    yield r.value as unknown;
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
  },
) {
  const kind = parseKind(opts.kind, 'kind');
  const totalBytes = fs.statSync(opts.file).size;
  const isZip = opts.file.toLowerCase().endsWith('.zip');
  const read = { bytes: 0 };
  const features = isZip ? shapefileFeatures(opts.file) : geoJsonFeatures(opts.file, read);
  return storeLayer(db, null, now, {
    name: opts.name,
    kind,
    batches: parsedBatches(features, kind),
    onProgress: (stored) => opts.onProgress?.(stored, isZip ? totalBytes : read.bytes, totalBytes),
  });
}
