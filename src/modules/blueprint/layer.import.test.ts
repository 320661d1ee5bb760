import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import { importLayerFile } from './layer.import';
import { checkSite } from './site-check.service';

type Box = [number, number, number, number];

/** A minimal polygon Shapefile (.shp + .dbf with one UTF-8 "name" field), written by hand for the test. */
function shapefileZip(boxes: Box[], names: string[]): Uint8Array {
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
    dbf.write(n, at + 1, 'utf8');
  });
  dbf[dbf.length - 1] = 0x1a;
  return zipSync({
    'farm.shp': new Uint8Array(shp),
    'farm.dbf': new Uint8Array(dbf),
    'farm.cpg': new TextEncoder().encode('UTF-8'),
  });
}

describeEachSystem('blueprint:import of files', (t) => {
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
