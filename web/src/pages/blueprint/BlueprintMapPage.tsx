/**
 * 一张蓝图 map (tasks 40, 51, 52): planning layers from the API drawn with OpenLayers (no internet
 * basemap needed; an optional XYZ tile URL can be typed in or set as window.__TILE_URL__), a site drawn
 * or pasted as GeoJSON, the site check with its conflicts highlighted, and 差异图斑 patches.
 */
import { Alert, Button, Card, Checkbox, Col, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import OlMap from 'ol/Map';
import View from 'ol/View';
import GeoJSON from 'ol/format/GeoJSON';
import Draw from 'ol/interaction/Draw';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import { bbox as bboxStrategy } from 'ol/loadingstrategy';
import { fromLonLat, transformExtent } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import XYZ from 'ol/source/XYZ';
import type { FeatureLike } from 'ol/Feature';
import { Fill, Stroke, Style } from 'ol/style';
import 'ol/ol.css';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import {
  blueprintApi,
  DRAWN_SITE_KEY,
  type Conflict,
  type DifferenceAnalysis,
  type Layer,
  type SiteCheck,
} from './blueprintApi';

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

const kindColors: Record<string, string> = {
  ecological_redline: '#2e7d32',
  basic_farmland: '#c8a000',
  urban_boundary: '#1565c0',
  regional_assessment: '#6a1b9a',
  land_use_plan: '#795548',
  urban_plan: '#00838f',
};
/** English names under the English switch; Chinese names come from the server (kindName). */
const kindEnglish: Record<string, string> = {
  ecological_redline: 'Ecological red line',
  basic_farmland: 'Basic farmland',
  urban_boundary: 'Urban boundary',
  regional_assessment: 'Regional assessment',
  land_use_plan: 'Land-use plan',
  urban_plan: 'Urban plan',
  district_boundary: 'District boundary',
};
const differenceStates: Record<DifferenceAnalysis['status'], [string, string]> = {
  queued: ['排队中', 'Queued'],
  running: ['分析中', 'Running'],
  done: ['已完成', 'Done'],
  failed: ['分析失败', 'Failed'],
};
const DEFAULT_ON = new Set(['ecological_redline', 'basic_farmland', 'urban_boundary']);

function layerStyle(kind: string) {
  const color = kindColors[kind] ?? '#555';
  const fill = kind === 'urban_boundary' ? 'rgba(21,101,192,0.04)' : `${color}44`;
  const feature = new Style({
    stroke: new Stroke({ color, width: kind === 'urban_boundary' ? 2 : 1 }),
    fill: new Fill({ color: fill }),
  });
  // A summary cell of a dense view (properties.count): a solid block, darker than a single feature.
  const summary = new Style({ fill: new Fill({ color: `${color}99` }) });
  return (f: FeatureLike) => (f.get('count') !== undefined ? summary : feature);
}
const highlight = new Style({
  stroke: new Stroke({ color: '#d50000', width: 3 }),
  fill: new Fill({ color: 'rgba(213,0,0,0.35)' }),
});
const siteStyle = new Style({
  stroke: new Stroke({ color: '#ff6d00', width: 2, lineDash: [6, 4] }),
  fill: new Fill({ color: 'rgba(255,109,0,0.15)' }),
});
const patchStyle = new Style({
  stroke: new Stroke({ color: '#ad1457', width: 1 }),
  fill: new Fill({ color: 'rgba(173,20,87,0.45)' }),
});

/**
 * A layer's features for what is on screen (issue 18): the view's box at its zoom, page after page
 * (nextAfter), simplified by the server. A layer of 100,000 polygons is never loaded whole; panning
 * loads the newly visible box, and features already drawn (same id) are kept once.
 */
function pagedSource(layerId: string, onError: (message: string) => void) {
  const source: VectorSource = new VectorSource({
    strategy: bboxStrategy,
    loader: (extent, resolution, projection, success, failure) => {
      const bbox = transformExtent(extent, projection, 'EPSG:4326');
      const zoom = Math.max(0, Math.min(24, Math.round(Math.log2(156543.03392804097 / resolution))));
      const loaded: ReturnType<typeof geojson.readFeatures> = [];
      const next = (after?: number): Promise<void> =>
        blueprintApi.featurePage(layerId, bbox, zoom, after).then((fc) => {
          const features = geojson.readFeatures(fc);
          source.addFeatures(features);
          loaded.push(...features);
          source.set('pagesLoaded', (Number(source.get('pagesLoaded')) || 0) + 1);
          return fc.nextAfter !== null ? next(fc.nextAfter) : undefined;
        });
      next()
        .then(() => success?.(loaded))
        .catch((e: unknown) => {
          onError(e instanceof Error ? e.message : String(e));
          source.removeLoadedExtent(extent);
          failure?.();
        });
    },
  });
  return source;
}

declare global {
  interface Window {
    __TILE_URL__?: string;
  }
}

export default function BlueprintMapPage() {
  const { lang } = useI18n();
  const tr = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const kindLabel = (kind: string, kindName?: string) =>
    lang === 'en'
      ? (kindEnglish[kind] ?? kind)
      : (kindName ?? layers.find((l) => l.kind === kind)?.kindName ?? kind);
  const navigate = useNavigate();
  const { hasRole } = useAuth();
  const mapDiv = useRef<HTMLDivElement>(null);
  const map = useRef<OlMap | null>(null);
  const tiles = useRef(new TileLayer({ visible: false }));
  const sources = useRef(new Map<string, VectorLayer<VectorSource>>());
  const siteSource = useRef(new VectorSource());
  const patchSource = useRef(new VectorSource());
  const draw = useRef<Draw | null>(null);

  const [layers, setLayers] = useState<Layer[]>([]);
  const [visible, setVisible] = useState<Set<string>>(new Set());
  const [siteText, setSiteText] = useState('');
  const [drawing, setDrawing] = useState(false);
  const [result, setResult] = useState<SiteCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [tileUrl, setTileUrl] = useState(window.__TILE_URL__ ?? '');
  // The city's published basemap (MAP_BASEMAP_URL), unless one was typed in already.
  useEffect(() => {
    api
      .get<{ basemapUrl: string | null }>('/api/blueprint/map-settings')
      .then((m) => {
        if (m.basemapUrl) setTileUrl((typed) => typed || m.basemapUrl!);
      })
      .catch(() => undefined);
  }, []);
  const [planA, setPlanA] = useState<string>();
  const [planB, setPlanB] = useState<string>();
  const [analysis, setAnalysis] = useState<DifferenceAnalysis | null>(null);
  /** Features of each layer on the map now (the view's pages loaded so far). */
  const [loaded, setLoaded] = useState<Record<string, number>>({});
  /** Features of each layer shown only as summary cells (a dense view: zoom in to see them). */
  const [summary, setSummary] = useState<Record<string, number>>({});

  useEffect(() => {
    const m = new OlMap({
      target: mapDiv.current ?? undefined,
      layers: [
        tiles.current,
        new VectorLayer({ source: patchSource.current, style: patchStyle, zIndex: 20 }),
        new VectorLayer({ source: siteSource.current, style: siteStyle, zIndex: 30 }),
      ],
      view: new View({ center: fromLonLat([113.65, 34.75]), zoom: 11 }),
    });
    map.current = m;
    blueprintApi
      .layers()
      .then(({ layers: list }) => {
        setLayers(list);
        setVisible(new Set(list.filter((l) => DEFAULT_ON.has(l.kind)).map((l) => l.id)));
      })
      // Applicants may check a site but not browse the layers (staff only): the map stays empty for them.
      .catch((e: unknown) => {
        if (!(e instanceof ApiError && e.status === 403))
          setError(e instanceof Error ? e.message : String(e));
      });
    return () => m.setTarget(undefined);
  }, []);

  // Load a layer's features the first time it is switched on; toggle visibility afterwards.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    for (const layer of layers) {
      let vl = sources.current.get(layer.id);
      if (!vl && visible.has(layer.id)) {
        const source = pagedSource(layer.id, setError);
        const count = () => {
          const all = source.getFeatures();
          const cells = all.filter((f) => f.get('count') !== undefined);
          const summarised = cells.reduce((n, f) => n + Number(f.get('count')), 0);
          setLoaded((c) => ({ ...c, [layer.id]: all.length - cells.length }));
          setSummary((c) => ({ ...c, [layer.id]: summarised }));
        };
        source.on(['featuresloadend', 'clear'], count);
        vl = new VectorLayer({
          source,
          style: layerStyle(layer.kind),
          zIndex: layer.kind === 'urban_boundary' ? 1 : 10,
        });
        vl.set('layerId', layer.id);
        sources.current.set(layer.id, vl);
        m.addLayer(vl);
        // Geometries are simplified for a zoom level: a new level reloads the view at its own detail.
        let level = Math.round(m.getView().getZoom() ?? 0);
        m.getView().on('change:resolution', () => {
          const z = Math.round(m.getView().getZoom() ?? 0);
          if (z !== level) {
            level = z;
            source.refresh();
          }
        });
      }
      vl?.setVisible(visible.has(layer.id));
    }
  }, [layers, visible]);

  useEffect(() => {
    tiles.current.setSource(tileUrl ? new XYZ({ url: tileUrl }) : null);
    tiles.current.setVisible(Boolean(tileUrl));
  }, [tileUrl]);

  function showSite(text: string) {
    siteSource.current.clear();
    try {
      siteSource.current.addFeatures(geojson.readFeatures(JSON.parse(text)));
    } catch {
      // invalid text: the check will say why
    }
  }

  function toggleDraw() {
    const m = map.current;
    if (!m) return;
    if (draw.current) {
      m.removeInteraction(draw.current);
      draw.current = null;
      setDrawing(false);
      return;
    }
    const d = new Draw({ source: siteSource.current, type: 'Polygon' });
    d.on('drawstart', () => siteSource.current.clear());
    d.on('drawend', (e) => {
      const g = geojson.writeGeometryObject(e.feature.getGeometry()!, { decimals: 7 });
      setSiteText(JSON.stringify(g));
      m.removeInteraction(d);
      draw.current = null;
      setDrawing(false);
    });
    m.addInteraction(d);
    draw.current = d;
    setDrawing(true);
  }

  function highlightConflicts(conflicts: Conflict[]) {
    const wanted = new Set(conflicts.map((c) => `${c.layerId}:${c.featureId}`));
    for (const [layerId, vl] of sources.current) {
      for (const f of vl.getSource()?.getFeatures() ?? []) {
        f.setStyle(wanted.has(`${layerId}:${f.getId()}`) ? highlight : undefined);
      }
    }
  }

  async function runCheck() {
    setError(null);
    let site: unknown;
    try {
      site = JSON.parse(siteText);
    } catch {
      setError(tr('用地范围不是合法的 GeoJSON', 'The site is not valid GeoJSON'));
      return;
    }
    const s = site as { type?: string; geometry?: unknown; features?: { geometry: unknown }[] };
    if (s.type === 'Feature') site = s.geometry;
    if (s.type === 'FeatureCollection') site = s.features?.[0]?.geometry;
    setChecking(true);
    try {
      const r = await blueprintApi.check(site);
      setResult(r);
      highlightConflicts(r.conflicts);
    } catch (e) {
      setResult(null);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setChecking(false);
    }
  }

  async function uploadFile(file: File) {
    const text = await file.text();
    setSiteText(text);
    showSite(text);
  }

  async function startDifference() {
    if (!planA || !planB) return;
    setError(null);
    try {
      const { id } = await blueprintApi.startDifference(planA, planB);
      for (let i = 0; i < 600; i++) {
        const a = await blueprintApi.difference(id);
        setAnalysis(a);
        if (a.status === 'done' || a.status === 'failed') {
          patchSource.current.clear();
          patchSource.current.addFeatures(geojson.readFeatures(a.patches));
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }

  const verdictTag = result && (
    <Tag
      data-testid="blueprint-verdict"
      color={result.verdict === 'blocked' ? 'red' : result.verdict === 'warning' ? 'orange' : 'green'}
    >
      {result.verdict === 'blocked'
        ? tr('不可选址：占用控制线', 'Blocked: control line overlap')
        : result.verdict === 'warning'
          ? tr('提示：超出城镇开发边界', 'Warning: outside the urban boundary')
          : tr('通过', 'Clear')}
    </Tag>
  );
  const plans = layers.filter((l) => l.kind === 'urban_plan' || l.kind === 'land_use_plan');
  const m2 = (n: number) => `${n.toLocaleString('zh-CN', { maximumFractionDigits: 1 })} m²`;

  return (
    <Row gutter={16} data-testid="blueprint-page">
      <Col xs={24} lg={16}>
        <Card title={tr('一张蓝图', 'One blueprint')} size="small">
          <div
            ref={mapDiv}
            data-testid="blueprint-map"
            style={{ height: 640, width: '100%', background: '#f4f6f8' }}
          />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {error && <Alert type="error" showIcon message={error} data-testid="blueprint-error" />}
          <Card title={tr('图层', 'Layers')} size="small">
            <Space direction="vertical">
              {layers.map((l) => (
                <Checkbox
                  key={l.id}
                  data-testid={`blueprint-layer-${l.kind}`}
                  checked={visible.has(l.id)}
                  onChange={(e) => {
                    const next = new Set(visible);
                    if (e.target.checked) next.add(l.id);
                    else next.delete(l.id);
                    setVisible(next);
                  }}
                >
                  <span style={{ color: kindColors[l.kind] }}>■</span> {l.name}（
                  {kindLabel(l.kind, l.kindName)}，v{l.version}，{l.featureCount}）
                  {loaded[l.id] !== undefined && visible.has(l.id) && (
                    <Typography.Text type="secondary" data-testid={`blueprint-loaded-${l.id}`}>
                      {tr(`已显示 ${loaded[l.id]}`, `${loaded[l.id]} shown`)}
                    </Typography.Text>
                  )}
                  {(summary[l.id] ?? 0) > 0 && visible.has(l.id) && (
                    <Typography.Text type="secondary" data-testid={`blueprint-summary-${l.id}`}>
                      {tr(
                        `，另有 ${summary[l.id]} 个要素按网格汇总，放大查看`,
                        `, ${summary[l.id]} more summarised: zoom in`,
                      )}
                    </Typography.Text>
                  )}
                </Checkbox>
              ))}
              {layers.length === 0 && (
                <Typography.Text type="secondary">{tr('暂无图层', 'No layers yet')}</Typography.Text>
              )}
              <Input
                size="small"
                placeholder={tr('底图瓦片地址 (可选) https://…/{z}/{x}/{y}.png', 'Optional tile URL')}
                value={tileUrl}
                onChange={(e) => setTileUrl(e.target.value)}
              />
            </Space>
          </Card>
          <Card title={tr('图例', 'Legend')} size="small" data-testid="blueprint-legend">
            <Space direction="vertical" size={2}>
              {[...new Set(layers.filter((l) => visible.has(l.id)).map((l) => l.kind))].map((kind) => (
                <span key={kind}>
                  <span aria-hidden style={{ color: kindColors[kind] ?? '#555' }}>
                    ■
                  </span>{' '}
                  {kindLabel(kind)}
                </span>
              ))}
              <span>
                <span aria-hidden style={{ color: '#ff6d00' }}>
                  ▭
                </span>{' '}
                {tr('拟选用地范围', 'Proposed site')}
              </span>
              <span>
                <span aria-hidden style={{ color: '#d50000' }}>
                  ■
                </span>{' '}
                {tr('与控制线冲突的图斑', 'Conflicting feature')}
              </span>
              <span>
                <span aria-hidden style={{ color: '#ad1457' }}>
                  ■
                </span>{' '}
                {tr('差异图斑', 'Difference patch')}
              </span>
            </Space>
          </Card>
          <Card title={tr('选址合规检测', 'Site check')} size="small">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Button
                  data-testid="blueprint-draw"
                  type={drawing ? 'primary' : 'default'}
                  onClick={toggleDraw}
                >
                  {drawing ? tr('取消绘制', 'Cancel drawing') : tr('在地图上绘制用地范围', 'Draw the site')}
                </Button>
                <input
                  type="file"
                  accept=".geojson,.json,application/geo+json,application/json"
                  data-testid="blueprint-upload"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f) void uploadFile(f);
                  }}
                />
              </Space>
              <Input.TextArea
                data-testid="blueprint-site-text"
                rows={4}
                placeholder={tr(
                  '或粘贴 GeoJSON Polygon (CGCS2000 经纬度)',
                  'or paste a GeoJSON Polygon (lon/lat)',
                )}
                value={siteText}
                onChange={(e) => {
                  setSiteText(e.target.value);
                  showSite(e.target.value);
                }}
              />
              <Button
                data-testid="blueprint-check"
                type="primary"
                loading={checking}
                disabled={!siteText}
                onClick={() => void runCheck()}
              >
                {tr('检测', 'Check')}
              </Button>
              {siteText && hasRole('applicant', 'agent') && (
                <Button
                  data-testid="blueprint-register-site"
                  onClick={() => {
                    sessionStorage.setItem(DRAWN_SITE_KEY, siteText);
                    void navigate('/projects/new');
                  }}
                >
                  {tr('以此用地范围登记项目', 'Register a project on this site')}
                </Button>
              )}
              {result && (
                <>
                  <Space>
                    {verdictTag}
                    <span data-testid="blueprint-site-area">
                      {tr('用地面积', 'Site area')} {m2(result.siteAreaM2)}
                    </span>
                  </Space>
                  {result.urbanBoundary.outsideAreaM2 > 1 && (
                    <Typography.Text type="warning">
                      {tr('城镇开发边界外面积', 'Outside the urban boundary')}{' '}
                      {m2(result.urbanBoundary.outsideAreaM2)}
                    </Typography.Text>
                  )}
                  <Table
                    data-testid="blueprint-conflicts"
                    size="small"
                    pagination={false}
                    rowKey={(c) => `${c.layerId}:${c.featureId}`}
                    dataSource={result.conflicts}
                    locale={{ emptyText: tr('无控制线冲突', 'No conflicts') }}
                    columns={[
                      {
                        title: tr('控制线', 'Control line'),
                        render: (_, c) => kindLabel(c.layerKind, c.layerKindName),
                      },
                      { title: tr('图斑', 'Feature'), render: (_, c) => c.featureName ?? `#${c.featureId}` },
                      {
                        title: tr('占用面积', 'Overlap'),
                        render: (_, c) => (
                          <span data-testid="blueprint-conflict-area">{m2(c.overlapAreaM2)}</span>
                        ),
                      },
                      {
                        title: tr('占比', 'Share'),
                        render: (_, c) => `${(c.overlapRatio * 100).toFixed(1)}%`,
                      },
                    ]}
                    onRow={(c) =>
                      ({
                        'data-testid': 'blueprint-conflict-row',
                        'data-feature': c.featureId,
                      }) as React.HTMLAttributes<HTMLElement>
                    }
                  />
                  {result.regionalAssessments.length > 0 && (
                    <div data-testid="blueprint-regional">
                      {tr('区域评估', 'Regional assessment')}：
                      {result.regionalAssessments.map((u) => (
                        <Tag key={u.unitCode ?? ''}>
                          {u.unitCode}{' '}
                          {(lang === 'en' ? u.assessments : (u.assessmentNames ?? u.assessments)).join('、')}
                        </Tag>
                      ))}
                      {tr('已覆盖整个用地', 'covering the whole site')}：
                      {(lang === 'en'
                        ? result.coveredAssessments
                        : (result.coveredAssessmentNames ?? result.coveredAssessments)
                      ).join('、') || tr('无', 'none')}
                    </div>
                  )}
                </>
              )}
            </Space>
          </Card>
          <Card title={tr('差异图斑分析', 'Plan difference analysis')} size="small">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Select
                placeholder={tr('规划 A', 'Plan A')}
                value={planA}
                onChange={setPlanA}
                options={plans.map((l) => ({ value: l.id, label: l.name }))}
              />
              <Select
                placeholder={tr('规划 B', 'Plan B')}
                value={planB}
                onChange={setPlanB}
                options={plans.map((l) => ({ value: l.id, label: l.name }))}
              />
              <Button
                data-testid="blueprint-difference"
                disabled={!planA || !planB || planA === planB}
                onClick={() => void startDifference()}
              >
                {tr('开始分析', 'Analyse')}
              </Button>
              {analysis && (
                <Typography.Text data-testid="blueprint-difference-status">
                  {differenceStates[analysis.status][lang === 'en' ? 1 : 0]} {analysis.progress.processed}/
                  {analysis.progress.total}，{tr('图斑', 'patches')} {analysis.patchCount}，
                  {m2(analysis.totalAreaM2)}
                  {analysis.status === 'done' && (
                    <a
                      style={{ marginLeft: 8 }}
                      href={`/api/blueprint/difference-analyses/${analysis.id}/export.geojson`}
                    >
                      {tr('导出 GeoJSON', 'Export GeoJSON')}
                    </a>
                  )}
                </Typography.Text>
              )}
            </Space>
          </Card>
        </Space>
      </Col>
    </Row>
  );
}
