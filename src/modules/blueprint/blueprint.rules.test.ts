import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors';
import { parseLayerGeoJson, siteVerdict } from './blueprint.rules';
import { streamFeatureTexts, type StreamMeta } from './layer.import';

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [113.7, 34.7],
      [113.71, 34.7],
      [113.71, 34.71],
      [113.7, 34.71],
      [113.7, 34.7],
    ],
  ],
};

describe('blueprint rules', () => {
  it('decides the verdict: control lines block, outside the urban boundary warns', () => {
    expect(siteVerdict(0, false)).toBe('clear');
    expect(siteVerdict(0, true)).toBe('warning');
    expect(siteVerdict(2, true)).toBe('blocked');
  });

  it('hints at swapped coordinates and names the field', () => {
    const swapped = {
      type: 'Polygon',
      coordinates: [
        [
          [34.7, 113.7],
          [34.7, 113.71],
          [34.71, 113.71],
          [34.7, 113.7],
        ],
      ],
    };
    try {
      parseLayerGeoJson(swapped, 'ecological_redline');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).message).toMatch(/swapped/);
      expect((err as DomainError).field).toBe('body.geojson.features.0.geometry.coordinates.0.0');
    }
  });

  it('reads the kind-specific properties', () => {
    const [f] = parseLayerGeoJson(
      {
        type: 'Feature',
        properties: { unitCode: 'U1', assessments: ['seismic_safety', 'seismic_safety'] },
        geometry: square,
      },
      'regional_assessment',
    );
    expect(f).toMatchObject({ unitCode: 'U1', assessments: ['seismic_safety'] });
    expect(() =>
      parseLayerGeoJson(
        { type: 'Feature', properties: { assessments: ['bogus'] }, geometry: square },
        'regional_assessment',
      ),
    ).toThrow(/未知的评估类型「bogus」/);
  });
});

describe('GeoJSON feature streaming', () => {
  async function* chunks(text: string, size: number) {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  it('splits the features array across chunk borders, ignoring brackets inside strings', async () => {
    const features = [
      { type: 'Feature', properties: { name: 'a "[{" ]}', features: [1] }, geometry: square },
      { type: 'Feature', properties: { name: '\\"}' }, geometry: square },
    ];
    const text = JSON.stringify({
      type: 'FeatureCollection',
      name: 'features',
      bbox: [1, 2],
      features,
      crs: { features: [] },
    });
    for (const size of [1, 7, 1000]) {
      const out: unknown[] = [];
      for await (const t of streamFeatureTexts(chunks(text, size))) out.push(JSON.parse(t));
      expect(out).toEqual(features);
    }
  });

  it('keeps the top-level crs member, and says when it came after the features', async () => {
    const crs = { type: 'name', properties: { name: 'EPSG:4547' } };
    const before = JSON.stringify({ type: 'FeatureCollection', crs, features: [{ type: 'Feature' }] });
    const meta: StreamMeta = {};
    for await (const t of streamFeatureTexts(chunks(before, 5), undefined, meta))
      expect(JSON.parse(t)).toBeTruthy();
    expect(JSON.parse(meta.crs!)).toEqual(crs);
    expect(meta.crsAfterFeatures).toBe(false);
    const after = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature' }], crs });
    const late: StreamMeta = {};
    for await (const t of streamFeatureTexts(chunks(after, 3), undefined, late)) expect(t).toBeTruthy();
    expect(JSON.parse(late.crs!)).toEqual(crs);
    expect(late.crsAfterFeatures).toBe(true);
  });
});
