import { describe, expect, it } from 'vitest';
import { toErrorBody } from '../../http/errors';
import { DomainError } from '../../shared/errors';
import { parseLayerGeoJson } from './blueprint.rules';
import { assessmentCode, layerKindCode, parseAssessments, parseLayerKind } from './vocabulary.rules';

const box = {
  type: 'Polygon',
  coordinates: [
    [
      [113.6, 34.7],
      [113.61, 34.7],
      [113.61, 34.71],
      [113.6, 34.7],
    ],
  ],
};

describe('the bureau vocabulary', () => {
  it('maps Chinese assessment names and their variants to the codes', () => {
    expect(parseAssessments(['环境影响评价', '地震安全性评价', '压覆重要矿产资源评估'], 'f')).toEqual([
      'environmental_impact',
      'seismic_safety',
      'mineral_overlay',
    ]);
    expect(parseAssessments('环评、地震安评，压覆矿; 区域节能评价 水资源论证报告', 'f')).toEqual([
      'environmental_impact',
      'seismic_safety',
      'mineral_overlay',
      'energy_saving',
      'water_resources',
    ]);
    expect(assessmentCode(' 地灾评估 ')).toBe('geological_hazard');
    expect(assessmentCode('考古勘探')).toBe('cultural_relics');
    expect(assessmentCode('environmental-impact')).toBe('environmental_impact');
    expect(parseAssessments(['环评', '环境影响评价', 'environmental_impact'], 'f')).toEqual([
      'environmental_impact',
    ]);
  });

  it('refuses an unknown assessment with the accepted names, naming the entry', () => {
    try {
      parseAssessments(['环评', '风水评估'], 'body.geojson.features.0.properties.assessments');
      expect.unreachable();
    } catch (e) {
      const body = toErrorBody(e as DomainError);
      expect(body.status).toBe(400);
      expect(body.body.error.field).toBe('body.geojson.features.0.properties.assessments.1');
      expect(body.body.error.message).toContain('风水评估');
      expect(body.body.error.message).toContain('环境影响评价');
      expect(body.body.error.message).toContain('压覆重要矿产资源评估');
    }
    expect(() => parseAssessments([], 'f')).toThrow(/环境影响评价/);
  });

  it('maps layer kinds written in Chinese, refusing unknown ones with the list', () => {
    expect(layerKindCode('区域评估')).toBe('regional_assessment');
    expect(layerKindCode('生态红线')).toBe('ecological_redline');
    expect(layerKindCode('永久基本农田')).toBe('basic_farmland');
    expect(layerKindCode('城镇开发边界')).toBe('urban_boundary');
    expect(layerKindCode('控规')).toBe('urban_plan');
    expect(layerKindCode('行政区划')).toBe('district_boundary');
    expect(layerKindCode('land_use_plan')).toBe('land_use_plan');
    expect(() => parseLayerKind('地下管线')).toThrow(/地下管线.*生态保护红线.*区域评估单元/);
  });

  it('reads assessments from a DBF-style text column of a regional-assessment layer', () => {
    const [f] = parseLayerGeoJson(
      { type: 'Feature', properties: { 评估类型: '环评、震评', unitCode: 'U1' }, geometry: box },
      'regional_assessment',
    );
    expect(f!.assessments).toEqual(['environmental_impact', 'seismic_safety']);
  });
});
