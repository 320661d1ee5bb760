/** 登记项目: name, process template, investment, district, site (square or GeoJSON), attributes. */
import {
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useProcessTemplates } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import type { Project } from './api';
import { parseSite, squareSite } from './site';
import { useTx } from './strings';

const DISTRICTS: [string, string][] = [
  ['410102', '中原区'],
  ['410103', '二七区'],
  ['410104', '管城回族区'],
  ['410105', '金水区'],
  ['410108', '惠济区'],
  ['410122', '中牟县'],
  ['410171', '郑州航空港经济综合实验区'],
  ['410173', '郑东新区'],
];

/** Boolean project attributes (ProjectAttributesSchema) with their Chinese / English labels. */
const FLAGS: [string, string, string][] = [
  ['newConstructionLand', '涉及新增建设用地', 'New construction land'],
  ['landAcquisition', '涉及征收土地', 'Land acquisition'],
  ['listedInInvestmentPlan', '已列入政府投资计划', 'Listed in the investment plan'],
  ['simpleTechnicalScheme', '建设内容单一、技术方案简单', 'Simple technical scheme'],
  ['requiresVerification', '列入政府核准目录（核准）', 'Requires verification (核准)'],
  ['hasCivilAirDefence', '应建防空地下室', 'Civil air defence basement'],
  ['isSmallProject', '小型项目', 'Small project'],
  ['designFirmGradeA', '甲级资质设计单位设计', 'Grade-A design firm'],
  ['specialConstruction', '特殊建设工程（消防）', 'Special construction (fire)'],
  ['exceedsSeismicLimits', '超限高层建筑工程', 'Exceeds seismic limits'],
  ['flammableExplosive', '易燃易爆建设工程', 'Flammable / explosive'],
  ['withinRegionalAssessment', '位于区域评估范围内', 'Within a regional assessment area'],
  ['involvesCityRoads', '占用、挖掘城市道路', 'Involves city roads'],
  ['involvesGreenSpace', '涉及城市绿地、树木', 'Involves green space'],
  ['involvesRiverCourse', '涉及河道管理范围', 'Involves a river course'],
];

interface Values {
  name: string;
  templateCode: string;
  totalInvestment: number;
  districtCode: string;
  plannedStart: string;
  plannedCompletion: string;
  siteMode: 'square' | 'geojson';
  lon: number;
  lat: number;
  side: number;
  geojson?: string;
  investmentSource: 'government' | 'social';
  landSupplyMethod: string;
  buildingArea: number;
  flags: string[];
}

export default function ProjectRegisterPage() {
  const tx = useTx();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const templates = useProcessTemplates();
  const [form] = Form.useForm<Values>();
  const siteMode = Form.useWatch('siteMode', form);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const onFinish = async (v: Values) => {
    setError(null);
    const site = v.siteMode === 'geojson' ? parseSite(v.geojson ?? '') : squareSite(v.lon, v.lat, v.side);
    if (!site) {
      form.setFields([
        { name: 'geojson', errors: [tx('请粘贴 GeoJSON Polygon', 'Paste a GeoJSON Polygon')] },
      ]);
      return;
    }
    const attributes: Record<string, unknown> = {
      investmentSource: v.investmentSource,
      landSupplyMethod: v.landSupplyMethod,
      buildingArea: v.buildingArea,
    };
    for (const [key] of FLAGS) attributes[key] = v.flags.includes(key);
    setSaving(true);
    try {
      const project = await api.post<Project>('/api/projects', {
        name: v.name,
        templateCode: v.templateCode,
        totalInvestment: v.totalInvestment,
        districtCode: v.districtCode,
        site,
        plannedStart: v.plannedStart,
        plannedCompletion: v.plannedCompletion,
        attributes,
      });
      message.success(tx(`项目已登记，项目代码 ${project.code}`, `Registered as ${project.code}`));
      navigate(`/projects/${project.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader title={tx('登记项目', 'Register a project')} back="/projects" />
      {error !== null && <ErrorAlert error={error} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{
          totalInvestment: 8000,
          districtCode: '410122',
          plannedStart: '2026-06-01',
          plannedCompletion: '2028-06-01',
          siteMode: 'square',
          lon: 113.62,
          lat: 34.72,
          side: 100,
          investmentSource: 'social',
          landSupplyMethod: 'transfer',
          buildingArea: 20000,
          flags: [],
        }}
        data-testid="project-form"
      >
        <Card title={tx('基本信息', 'Basic information')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="name"
                label={tx('项目名称', 'Project name')}
                rules={[{ required: true, min: 2 }]}
              >
                <Input data-testid="project-name" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="templateCode"
                label={tx('审批流程（项目类型）', 'Process template (project type)')}
                rules={[{ required: true }]}
              >
                <Select
                  data-testid="project-template"
                  loading={templates.isPending}
                  options={(templates.data ?? []).map((t) => ({
                    value: t.code,
                    label: `${t.name}（${t.code}）`,
                  }))}
                  showSearch
                  optionFilterProp="label"
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="totalInvestment"
                label={tx('总投资（万元）', 'Total investment (10k CNY)')}
                rules={[{ required: true }]}
              >
                <InputNumber min={0} style={{ width: '100%' }} data-testid="project-investment" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="districtCode" label={tx('行政区划', 'District')} rules={[{ required: true }]}>
                <Select
                  options={DISTRICTS.map(([value, label]) => ({ value, label: `${label} ${value}` }))}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="plannedStart"
                label={tx('计划开工日期', 'Planned start')}
                rules={[{ required: true }]}
              >
                <Input type="date" data-testid="project-start" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="plannedCompletion"
                label={tx('计划竣工日期', 'Planned completion')}
                rules={[{ required: true }]}
              >
                <Input type="date" data-testid="project-completion" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={tx('用地红线', 'Site')} style={{ marginBottom: 16 }}>
          <Form.Item name="siteMode">
            <Radio.Group
              options={[
                { value: 'square', label: tx('中心点 + 边长（正方形）', 'Centre + side (square)') },
                { value: 'geojson', label: tx('粘贴 GeoJSON', 'Paste GeoJSON') },
              ]}
            />
          </Form.Item>
          {siteMode === 'geojson' ? (
            <Form.Item name="geojson" label="GeoJSON Polygon" rules={[{ required: true }]}>
              <Input.TextArea rows={5} data-testid="project-geojson" />
            </Form.Item>
          ) : (
            <Row gutter={16}>
              <Col span={8}>
                <Form.Item name="lon" label={tx('中心经度', 'Centre longitude')} rules={[{ required: true }]}>
                  <InputNumber step={0.001} style={{ width: '100%' }} data-testid="project-lon" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="lat" label={tx('中心纬度', 'Centre latitude')} rules={[{ required: true }]}>
                  <InputNumber step={0.001} style={{ width: '100%' }} data-testid="project-lat" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="side" label={tx('边长（米）', 'Side (m)')} rules={[{ required: true }]}>
                  <InputNumber min={1} max={5000} style={{ width: '100%' }} data-testid="project-side" />
                </Form.Item>
              </Col>
            </Row>
          )}
        </Card>
        <Card title={tx('项目属性', 'Project attributes')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="investmentSource" label={tx('投资类型', 'Investment source')}>
                <Select
                  options={[
                    { value: 'social', label: tx('社会投资', 'Social investment') },
                    { value: 'government', label: tx('政府投资', 'Government investment') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="landSupplyMethod" label={tx('供地方式', 'Land supply')}>
                <Select
                  options={[
                    { value: 'transfer', label: tx('出让', 'Transfer') },
                    { value: 'allocation', label: tx('划拨', 'Allocation') },
                    { value: 'transfer_with_design', label: tx('带方案出让', 'Transfer with design') },
                    { value: 'existing', label: tx('已有用地', 'Existing land') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="buildingArea" label={tx('总建筑面积（平方米）', 'Building area (m²)')}>
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="flags">
            <Checkbox.Group
              options={FLAGS.map(([value, zh, en]) => ({ value, label: tx(zh, en) }))}
              style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }}
            />
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="project-submit">
          {tx('登记并赋码', 'Register')}
        </Button>
      </Form>
    </>
  );
}
