import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import { toErrorBody } from '../../http/errors';
import { DomainError } from '../../shared/errors';
import { importLayerFile } from './layer.import';
import { checkSite } from './site-check.service';

type Box = [number, number, number, number];

/**
 * A minimal polygon Shapefile (.shp + .dbf with one "name" field), written by hand for the test: UTF-8
 * with a .cpg saying so, or (`gbk`) GBK bytes and no .cpg, as older Chinese desktop GIS writes them.
 */
function shapefileZip(
  boxes: Box[],
  names: string[],
  extra: Record<string, string> = {},
  text: 'utf8' | 'gbk' = 'utf8',
): Uint8Array {
  const recordContent = 4 + 32 + 4 + 4 + 4 + 5 * 16;
  const shp = Buffer.alloc(100 + boxes.length * (8 + recordContent));
  shp.writeInt32BE(9994, 0);
  shp.writeInt32BE(shp.length / 2, 24);
  shp.writeInt32LE(1000, 28);
  shp.writeInt32LE(5, 32);
  const all: Box = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
  all.forEach((v, i) => shp.writeDoubleLE(v, 36 + i * 8));
  let o = 100;
  boxes.forEach(([x1, y1, x2, y2], r) => {
    shp.writeInt32BE(r + 1, o);
    shp.writeInt32BE(recordContent / 2, o + 4);
    o += 8;
    shp.writeInt32LE(5, o);
    [x1, y1, x2, y2].forEach((v, i) => shp.writeDoubleLE(v, o + 4 + i * 8));
    shp.writeInt32LE(1, o + 36);
    shp.writeInt32LE(5, o + 40);
    shp.writeInt32LE(0, o + 44);
    // Outer rings run clockwise in a Shapefile.
    const ring = [
      [x1, y1],
      [x1, y2],
      [x2, y2],
      [x2, y1],
      [x1, y1],
    ];
    ring.forEach(([x, y], i) => {
      shp.writeDoubleLE(x!, o + 48 + i * 16);
      shp.writeDoubleLE(y!, o + 56 + i * 16);
    });
    o += recordContent;
  });

  const fieldLen = 60;
  const headerLen = 32 + 32 + 1;
  const recordLen = 1 + fieldLen;
  const dbf = Buffer.alloc(headerLen + names.length * recordLen + 1, 0x20);
  dbf.fill(0, 0, headerLen);
  dbf[0] = 0x03;
  dbf.writeUInt32LE(names.length, 4);
  dbf.writeUInt16LE(headerLen, 8);
  dbf.writeUInt16LE(recordLen, 10);
  dbf.write('name', 32, 'ascii');
  dbf[32 + 11] = 'C'.charCodeAt(0);
  dbf[32 + 16] = fieldLen;
  dbf[64] = 0x0d;
  names.forEach((n, i) => {
    const at = headerLen + i * recordLen;
    dbf[at] = 0x20;
    const bytes = text === 'gbk' ? iconv.encode(n, 'gbk') : Buffer.from(n, 'utf8');
    bytes.copy(dbf, at + 1);
  });
  dbf[dbf.length - 1] = 0x1a;
  return zipSync({
    'farm.shp': new Uint8Array(shp),
    'farm.dbf': new Uint8Array(dbf),
    ...(text === 'utf8' ? { 'farm.cpg': new TextEncoder().encode('UTF-8') } : {}),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, new TextEncoder().encode(v)])),
  });
}

/** ESRI's .prj of CGCS2000 3° Gauss-Krüger CM 114E (EPSG:4547), as ArcGIS writes it. */
const PRJ_4547 =
  'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
/** 郑州 (113.625°E, 34.7466°N) in EPSG:4547, from PostGIS ST_Transform. */
const ZZ_4547 = { e: 465661.650469589, n: 3846545.1939829546 };

describeEachSystem('blueprint:import of files', (t) => {
  it('reprojects a Shapefile with a .prj and a GeoJSON file with a crs, refusing an unknown system', async () => {
    const { system } = t;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-crs-'));
    // Metres from the known point to the nearest stored vertex (geography distance on the ellipsoid).
    const offset = async (layerId: string) =>
      (
        await sql<{ m: number }>`
          SELECT min(ST_Distance(ST_SetSRID((d).geom, 4326)::geography,
                                 ST_SetSRID(ST_MakePoint(113.625, 34.7466), 4326)::geography)) AS m
          FROM (SELECT ST_DumpPoints(geom) AS d FROM blueprint_feature WHERE layer_id = ${layerId}) q`.execute(
          system.ctx.db,
        )
      ).rows[0]!.m;
    try {
      const { e, n } = ZZ_4547;
      const zip = path.join(dir, 'farm.zip');
      fs.writeFileSync(zip, shapefileZip([[e, n, e + 200, n + 200]], ['投影农田'], { 'farm.prj': PRJ_4547 }));
      const shp = await importLayerFile(system.ctx.db, new Date(), {
        name: '投影农田',
        kind: '永久基本农田',
        file: zip,
      });
      expect(await offset(shp.id)).toBeLessThan(0.1);

      const file = path.join(dir, 'units.geojson');
      const ring = [
        [e, n],
        [e + 300, n],
        [e + 300, n + 300],
        [e, n + 300],
        [e, n],
      ];
      fs.writeFileSync(
        file,
        JSON.stringify({
          type: 'FeatureCollection',
          crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } },
          features: [
            {
              type: 'Feature',
              properties: {
                QYPGDYBM: 'ZZ-01',
                评估类型: '环境影响评价、地震安全性评价、压覆重要矿产资源评估',
              },
              geometry: { type: 'Polygon', coordinates: [ring] },
            },
          ],
        }),
      );
      const units = await importLayerFile(system.ctx.db, new Date(), {
        name: '区域评估',
        kind: '区域评估',
        file,
      });
      expect(await offset(units.id)).toBeLessThan(0.1);
      const stored = await system.ctx.db
        .selectFrom('blueprintFeature')
        .select(['assessments', 'unitCode'])
        .where('layerId', '=', units.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        assessments: ['environmental_impact', 'seismic_safety', 'mineral_overlay'],
        unitCode: 'ZZ-01',
      });

      const xian = path.join(dir, 'xian.zip');
      fs.writeFileSync(
        xian,
        shapefileZip([[e, n, e + 200, n + 200]], ['x'], {
          'farm.prj': PRJ_4547.replace(/China_2000|China_Geodetic_Coordinate_System_2000/g, 'Xian_1980'),
        }),
      );
      const err = await importLayerFile(system.ctx.db, new Date(), {
        name: '西安80',
        kind: 'basic_farmland',
        file: xian,
      }).catch((x: unknown) => x);
      expect(toErrorBody(err).status).toBe(400);
      expect(toErrorBody(err).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'file.prj' });
      expect(toErrorBody(err).body.error.message).toContain('不支持的坐标系');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the Chinese names of a GBK .dbf that has no .cpg', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-gbk-'));
    try {
      const zip = path.join(dir, 'farm.zip');
      const names = ['中牟县官渡镇基本农田', '金水区北林路地块'];
      const boxes: Box[] = [
        [113.9, 34.7, 113.91, 34.71],
        [113.92, 34.7, 113.93, 34.71],
      ];
      fs.writeFileSync(zip, shapefileZip(boxes, names, {}, 'gbk'));
      const layer = await importLayerFile(t.system.ctx.db, new Date(), {
        name: 'GBK 农田',
        kind: '永久基本农田',
        file: zip,
      });
      const stored = await t.system.ctx.db
        .selectFrom('blueprintFeature')
        .select('name')
        .where('layerId', '=', layer.id)
        .orderBy('id')
        .execute();
      expect(stored.map((f) => f.name)).toEqual(names);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports a zipped Shapefile and a streamed GeoJSON file, reporting progress', async () => {
    const { system } = t;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-import-'));
    try {
      const zip = path.join(dir, 'farm.zip');
      fs.writeFileSync(
        zip,
        shapefileZip(
          [
            [113.8, 34.7, 113.81, 34.71],
            [113.82, 34.7, 113.83, 34.71],
          ],
          ['农田一号', '农田二号'],
        ),
      );
      const progress: number[] = [];
      const result = await importLayerFile(system.ctx.db, new Date(), {
        name: 'SHP 农田',
        kind: 'basic_farmland',
        file: zip,
        onProgress: (n) => progress.push(n),
      });
      expect(result).toMatchObject({ featureCount: 2, version: 1 });
      expect(progress.at(-1)).toBe(2);
      const check = await checkSite(system.ctx.db, {
        type: 'Polygon',
        coordinates: [
          [
            [113.805, 34.701],
            [113.806, 34.701],
            [113.806, 34.702],
            [113.805, 34.702],
            [113.805, 34.701],
          ],
        ],
      });
      expect(check.verdict).toBe('blocked');
      expect(check.conflicts[0]!.featureName).toBe('农田一号');

      const features = Array.from({ length: 1200 }, (_, i) => ({
        type: 'Feature',
        properties: { name: `块 ${i}`, landUse: i % 2 ? 'R1' : 'M1' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113.4 + i * 0.001, 34.6],
              [113.4005 + i * 0.001, 34.6],
              [113.4005 + i * 0.001, 34.6005],
              [113.4 + i * 0.001, 34.6005],
              [113.4 + i * 0.001, 34.6],
            ],
          ],
        },
      }));
      const file = path.join(dir, 'plan.geojson');
      fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
      const plan = await importLayerFile(system.ctx.db, new Date(), {
        name: '大文件规划',
        kind: 'urban_plan',
        file,
      });
      expect(plan.featureCount).toBe(1200);

      // A bad feature deep in the file leaves nothing behind.
      features[1100]!.geometry.coordinates[0]![0] = [200, 34.6];
      fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
      await expect(
        importLayerFile(system.ctx.db, new Date(), { name: '坏规划', kind: 'urban_plan', file }),
      ).rejects.toThrow(/不在中国范围内/);
      const bad = await system.ctx.db
        .selectFrom('blueprintLayer')
        .select('id')
        .where('name', '=', '坏规划')
        .execute();
      expect(bad).toHaveLength(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A zip whose one entry `bomb.shp` inflates to `segments` MiB of zeros, built without compressing a
 * gigabyte: one MiB of zeros deflated with a full flush is a self-contained run of blocks, so repeating
 * it N times (then an empty final block) is a valid deflate stream of N MiB. `declaredSize` is what the
 * headers claim (a lying header must not help).
 */
function zeroBomb(segments: number, declaredSize = segments * 2 ** 20): Buffer {
  const mib = Buffer.alloc(2 ** 20);
  const segment = zlib.deflateRawSync(mib, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const data = Buffer.concat([...Array.from({ length: segments }, () => segment), Buffer.from([0x03, 0x00])]);
  let crc = 0;
  for (let i = 0; i < segments; i++) crc = zlib.crc32(mib, crc);
  const name = Buffer.from('bomb.shp');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize >>> 0, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize >>> 0, 24);
  central.writeUInt16LE(name.length, 28);
  const centralAt = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

describeEachSystem('blueprint:import limits', (t) => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-bomb-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const layerCount = async () =>
    (await t.system.ctx.db.selectFrom('blueprintLayer').select('id').execute()).length;

  it('refuses a 1 MB zip of zeros that expands to 1.1 GB, quickly and with bounded memory', async () => {
    const zip = path.join(dir, 'bomb.zip');
    fs.writeFileSync(zip, zeroBomb(1100));
    expect(fs.statSync(zip).size).toBeLessThan(1.5 * 2 ** 20);
    const before = await layerCount();
    for (const [limits, limit] of [
      [{}, 'IMPORT_MAX_RATIO'], // the defaults: ratio 100 trips at ~110 MB
      [{ maxRatio: 1e6, maxUncompressedBytes: 64 * 2 ** 20 }, 'IMPORT_MAX_UNCOMPRESSED_BYTES'],
      // The header claims 1 KiB: only the bytes really inflated count.
      [{ maxRatio: 1e6, maxUncompressedBytes: 8 * 2 ** 20 }, 'IMPORT_MAX_UNCOMPRESSED_BYTES'],
    ] as const) {
      if (limit === 'IMPORT_MAX_UNCOMPRESSED_BYTES' && limits.maxUncompressedBytes === 8 * 2 ** 20) {
        fs.writeFileSync(zip, zeroBomb(1100, 1024));
      }
      global.gc?.();
      const rss = process.memoryUsage().rss;
      let peak = rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const started = Date.now();
      const err = await importLayerFile(t.system.ctx.db, new Date(), {
        name: '炸弹',
        kind: 'basic_farmland',
        file: zip,
        limits,
      }).catch((e: unknown) => e);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit } });
      expect((err as Error).message).toContain(limit);
      expect(toErrorBody(err).status).toBe(413);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(peak - rss).toBeLessThan(200 * 2 ** 20);
    }
    expect(await layerCount()).toBe(before);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('zz-layer-import-'))).toEqual([]);
  });

  it('refuses a zip with too many entries before unpacking any', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 100; i++) files[`part${i}.shp`] = new Uint8Array(10);
    const zip = path.join(dir, 'many.zip');
    fs.writeFileSync(zip, zipSync(files));
    const err = await importLayerFile(t.system.ctx.db, new Date(), {
      name: '多文件',
      kind: 'basic_farmland',
      file: zip,
      limits: { maxEntries: 64 },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 'IMPORT_MAX_ENTRIES' } });
    expect((err as Error).message).toMatch(/100 个文件/);

    // The central directory can lie too: the entries are counted again while streaming.
    const buf = Buffer.from(fs.readFileSync(zip));
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    buf.writeUInt16LE(1, eocd + 8);
    buf.writeUInt16LE(1, eocd + 10);
    fs.writeFileSync(zip, buf);
    const lied = await importLayerFile(t.system.ctx.db, new Date(), {
      name: '多文件',
      kind: 'basic_farmland',
      file: zip,
      limits: { maxEntries: 64 },
    }).catch((e: unknown) => e);
    expect(lied).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 'IMPORT_MAX_ENTRIES' } });
  });

  it('refuses one giant GeoJSON feature while streaming', async () => {
    const { streamFeatureTexts } = await import('./layer.import');
    async function* text() {
      yield '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"';
      for (let i = 0; i < 10; i++) yield 'x'.repeat(1000);
      yield '"}}]}';
    }
    const read = async () => {
      for await (const _ of streamFeatureTexts(text(), 5000)) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a GeoJSON file larger than the uncompressed limit without reading it', async () => {
    const file = path.join(dir, 'big.geojson');
    fs.writeFileSync(file, `{"type":"FeatureCollection","features":[${' '.repeat(4096)}]}`);
    const err = await importLayerFile(t.system.ctx.db, new Date(), {
      name: '大',
      kind: 'urban_plan',
      file,
      limits: { maxUncompressedBytes: 1024 },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { limit: 'IMPORT_MAX_UNCOMPRESSED_BYTES' },
    });
  });
});
