/**
 * 年度实施计划 (task 53): the planned projects of a year drawn from the blueprint — list and map — with
 * their enterprise, site, the departments' opinions and how ready each is; exportable to Excel.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, InputNumber, Row, Space, Table, Tag, Typography } from 'antd';
import OlMap from 'ol/Map';
import View from 'ol/View';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style } from 'ol/style';
import 'ol/ol.css';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { formatDate, todayInBeijing } from '../../lib/time';
import { blueprintApi, type AnnualPlan } from './blueprintApi';

type Planned = AnnualPlan['projects'][number];

/** Colours by readiness (text on white stays ≥ 4.5 : 1). */
const readinessColors: Record<Planned['readiness'], string> = {
  registered: '#1b5e20',
  ready: '#0d47a1',
  consulting: '#6d4c00',
  overdue: '#b71c1c',
  blocked: '#4a148c',
};
const readinessEnglish: Record<Planned['readiness'], string> = {
  registered: 'Registered',
  ready: 'Ready to apply',
  consulting: 'Consulting departments',
  overdue: 'Opinions overdue',
  blocked: 'Site conflict',
};
const opinionStates: Record<Planned['opinions'][number]['status'], [string, string]> = {
  answered: ['已复', 'answered'],
  pending: ['待复', 'pending'],
  overdue: ['逾期', 'overdue'],
};

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

function styleFor(readiness: Planned['readiness'], selected: boolean) {
  const color = readinessColors[readiness];
  return new Style({
    stroke: new Stroke({ color: selected ? '#d50000' : color, width: selected ? 3 : 2 }),
    fill: new Fill({ color: `${color}33` }),
  });
}

export default function AnnualPlanPage() {
  const { lang } = useI18n();
  const en = lang === 'en';
  const tr = (zh: string, english: string) => (en ? english : zh);
  const [year, setYear] = useState(() => Number(todayInBeijing().slice(0, 4)));
  const [selected, setSelected] = useState<string | null>(null);
  const plan = useQuery({
    queryKey: ['annual-plan', year],
    queryFn: () => blueprintApi.annualPlan(year),
  });
  const mapDiv = useRef<HTMLDivElement>(null);
  const map = useRef<OlMap | null>(null);
  const source = useRef(new VectorSource());

  useEffect(() => {
    const m = new OlMap({
      target: mapDiv.current ?? undefined,
      layers: [new VectorLayer({ source: source.current })],
      view: new View({ center: fromLonLat([113.65, 34.75]), zoom: 10 }),
    });
    m.on('singleclick', (e) => {
      const hit = m.forEachFeatureAtPixel(e.pixel, (f) => f.getId());
      if (hit !== undefined) setSelected(String(hit));
    });
    map.current = m;
    return () => m.setTarget(undefined);
  }, []);

  // One polygon per planned project, coloured by readiness; the whole year in view.
  useEffect(() => {
    const s = source.current;
    s.clear();
    for (const p of plan.data?.projects ?? []) {
      const feature = geojson.readFeature({ type: 'Feature', id: p.id, properties: {}, geometry: p.site });
      const one = Array.isArray(feature) ? feature[0] : feature;
      if (!one) continue;
      one.setStyle(styleFor(p.readiness, p.id === selected));
      s.addFeature(one);
    }
    const extent = s.getExtent();
    if (s.getFeatures().length > 0 && !selected && extent) {
      map.current?.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom: 15 });
    }
  }, [plan.data, selected]);

  const names = plan.data?.readinessNames ?? {};
  const label = (r: Planned['readiness']) => (en ? readinessEnglish[r] : (names[r] ?? r));

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="annual-plan-page">
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {tr('年度实施计划', 'Annual implementation plan')}
          </Typography.Title>
          <label>
            {tr('年度', 'Year')}{' '}
            <InputNumber
              aria-label={tr('年度', 'Year')}
              data-testid="annual-plan-year"
              min={2019}
              max={2100}
              value={year}
              onChange={(v) => v && setYear(v)}
            />
          </label>
          <a href={`/api/blueprint/annual-plans/${year}/export.xlsx`} data-testid="annual-plan-export">
            {tr('导出 Excel', 'Export to Excel')}
          </a>
        </Space>
        {plan.data && (
          <div style={{ marginTop: 8 }} data-testid="annual-plan-counts">
            <Typography.Text>
              {tr(`共 ${plan.data.total} 个策划项目`, `${plan.data.total} planned projects`)}：
            </Typography.Text>{' '}
            {(Object.keys(readinessColors) as Planned['readiness'][]).map((r) => (
              <Tag
                key={r}
                style={{ color: readinessColors[r], borderColor: readinessColors[r], background: '#fff' }}
              >
                {label(r)} {plan.data.counts[r] ?? 0}
              </Tag>
            ))}
          </div>
        )}
      </Card>
      {plan.error && <ErrorAlert error={plan.error} />}
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Table<Planned>
            data-testid="annual-plan-table"
            size="small"
            rowKey="id"
            loading={plan.isLoading}
            dataSource={plan.data?.projects ?? []}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            locale={{ emptyText: tr('该年度没有策划项目', 'No planned projects this year') }}
            rowClassName={(p) => (p.id === selected ? 'ant-table-row-selected' : '')}
            onRow={(p) => ({
              tabIndex: 0,
              onClick: () => setSelected(p.id),
              onKeyDown: (e) => {
                if (e.key === 'Enter') setSelected(p.id);
              },
            })}
            expandable={{
              expandedRowRender: (p) => (
                <Space direction="vertical" size={2}>
                  {p.opinions.length === 0 && tr('尚未征求部门意见', 'No department consulted yet')}
                  {p.opinions.map((o) => (
                    <span key={o.departmentCode}>
                      {o.departmentName}（{opinionStates[o.status][en ? 1 : 0]}，{tr('期限', 'due')}{' '}
                      {formatDate(o.deadline)}）{o.opinion ? `：${o.opinion}` : ''}
                      {o.conditions.length > 0 && (
                        <Typography.Text type="secondary">
                          {' '}
                          {tr('建设条件', 'conditions')}：{o.conditions.join('；')}
                        </Typography.Text>
                      )}
                    </span>
                  ))}
                </Space>
              ),
            }}
            columns={[
              { title: tr('项目', 'Project'), dataIndex: 'name' },
              {
                title: tr('建设单位', 'Enterprise'),
                render: (_, p) => p.enterpriseName ?? '—',
              },
              {
                title: tr('用地面积', 'Site area'),
                render: (_, p) =>
                  `${p.siteAreaM2.toLocaleString('zh-CN', { maximumFractionDigits: 0 })} 平方米`,
              },
              {
                title: tr('部门意见', 'Opinions'),
                render: (_, p) =>
                  `${p.opinions.filter((o) => o.status === 'answered').length}/${p.opinions.length}`,
              },
              {
                title: tr('成熟度', 'Readiness'),
                render: (_, p) => (
                  <Tag
                    data-testid="annual-plan-readiness"
                    style={{
                      color: readinessColors[p.readiness],
                      borderColor: readinessColors[p.readiness],
                      background: '#fff',
                    }}
                  >
                    {label(p.readiness)}
                  </Tag>
                ),
              },
              {
                title: tr('登记项目', 'Project code'),
                render: (_, p) =>
                  p.projectId ? <Link to={`/projects/${p.projectId}`}>{p.projectCode}</Link> : '—',
              },
            ]}
          />
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={tr('选址分布', 'Sites')}>
            <div
              ref={mapDiv}
              data-testid="annual-plan-map"
              role="img"
              aria-label={tr('年度策划项目选址地图', 'Map of the planned sites')}
              style={{ height: 480, width: '100%', background: '#f4f6f8' }}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
