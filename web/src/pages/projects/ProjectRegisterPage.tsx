/**
 * 登记项目: name, process template, investment, district (the city's list), site (square or GeoJSON), and
 * the questions the chosen template asks (its conditions' attributes, with defaults). The template fixes
 * the investment source and land supply, so they are shown, or offered only among the values it allows.
 */
import {
  App as AntApp,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useProcessTemplate, useProcessTemplates } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useI18n, useT } from '../../i18n';
import type { Project } from './api';
import { useAuth } from '../../auth';
import { consentingEnterprises, useConsents } from '../agency/api';
import { DRAWN_SITE_KEY } from '../blueprint/blueprintApi';
import { parseSite, squareSite } from './site';

/** GET /api/process-templates/:code → questions (what registration asks for this template). */
interface TemplateQuestion {
  key: string;
  label: string;
  help: string | null;
  type: 'boolean' | 'number' | 'enum';
  default: string | number | boolean;
  options: { value: string; label: string }[] | null;
  fixed: boolean;
}

/** GET /api/districts. */
interface District {
  code: string;
  name: string;
  kind: 'county' | 'functional_zone';
  active: boolean;
  boundaryLoaded: boolean;
}

/** English labels of the questions the API asks in Chinese (Chinese first; unknown keys keep it). */
const QUESTION_EN: Record<string, string> = {
  investmentSource: 'Investment source',
  landSupplyMethod: 'Land supply',
  newConstructionLand: 'New construction land',
  landAcquisition: 'Land acquisition',
  buildingArea: 'Building area (m²)',
  listedInInvestmentPlan: 'Listed in the government investment plan',
  simpleTechnicalScheme: 'Single content, simple technical scheme',
  requiresVerification: 'Listed in the catalogue of projects requiring verification (核准)',
  hasCivilAirDefence: 'Civil air defence basement required',
  isSmallProject: 'Small enterprise project (filing)',
  designFirmGradeA: 'Drawings by a grade-A design firm',
  specialConstruction: 'Special construction (fire design review)',
  exceedsSeismicLimits: 'High-rise beyond seismic limits',
  flammableExplosive: 'Flammable or explosive works',
  involvesCityRoads: 'Occupies or digs city roads',
  involvesGreenSpace: 'Affects urban green space or trees',
  involvesRiverCourse: 'Within a river course or flood area',
};

const OPTION_EN: Record<string, string> = {
  government: 'Government investment',
  social: 'Social investment',
  allocation: 'Allocation',
  transfer: 'Transfer',
  transfer_with_design: 'Transfer with design',
  existing: 'Existing land',
};

interface Values {
  name: string;
  /** Only for an agent: the enterprise it registers for. */
  enterpriseId?: string;
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
  attributes: Record<string, string | number | boolean>;
}

/** Today and a date months ahead in Beijing time, YYYY-MM-DD. */
function beijingDay(monthsAhead = 0): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  d.setUTCMonth(d.getUTCMonth() + monthsAhead);
  return d.toISOString().slice(0, 10);
}

export default function ProjectRegisterPage() {
  const t = useT();
  const { lang } = useI18n();
  const en = lang === 'en';
  const navigate = useNavigate();
  const { message, modal } = AntApp.useApp();
  const templates = useProcessTemplates();
  const [form] = Form.useForm<Values>();
  const siteMode = Form.useWatch('siteMode', form);
  const templateCode = Form.useWatch('templateCode', form) ?? '';
  const template = useProcessTemplate(templateCode);
  const questions = ((template.data as { questions?: TemplateQuestion[] } | undefined)?.questions ??
    []) as TemplateQuestion[];
  const districts = useQuery({
    queryKey: ['districts'],
    queryFn: ({ signal }) => api.get<{ districts: District[] }>('/api/districts', undefined, signal),
    select: (d) => d.districts,
  });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  // 帮办代办: the agent names the 建设单位, among the enterprises that consented to registration.
  const asAgent = useAuth().hasRole('agent');
  const consents = useConsents(asAgent);
  const enterprises = consentingEnterprises(consents.data, 'register_project');
  // A site drawn on the blueprint map (its 以此用地范围登记项目 button) arrives here once.
  const [drawnSite] = useState(() => {
    const text = sessionStorage.getItem(DRAWN_SITE_KEY);
    sessionStorage.removeItem(DRAWN_SITE_KEY);
    return text && parseSite(text) ? text : null;
  });

  // A new template: its own questions with their defaults (a fixed value is shown, not asked).
  useEffect(() => {
    if (questions.length === 0) return;
    form.setFieldValue(
      'attributes',
      Object.fromEntries(questions.map((q) => [q.key, q.default])) as Values['attributes'],
    );
  }, [form, questions]);

  const onFinish = async (v: Values) => {
    setError(null);
    const site = v.siteMode === 'geojson' ? parseSite(v.geojson ?? '') : squareSite(v.lon, v.lat, v.side);
    if (!site) {
      form.setFields([{ name: 'geojson', errors: [t('register.site.geojsonRequired')] }]);
      return;
    }
    // Only what this template asks; fixed values are left to the template.
    const attributes: Record<string, unknown> = {};
    for (const q of questions) {
      if (!q.fixed && v.attributes?.[q.key] !== undefined) attributes[q.key] = v.attributes[q.key];
    }
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
        ...(asAgent ? { enterpriseId: v.enterpriseId } : {}),
      });
      message.success(t('register.done', { code: project.code }));
      // 查询码: shown once; with the project code anyone the applicant tells can follow it on /portal.
      const queryCode = (project as Project & { queryCode?: string }).queryCode;
      if (queryCode)
        modal.success({
          title: t('register.done', { code: project.code }),
          content: (
            <span data-testid="register-query-code">
              {t('portal.queryCodeIssued')}
              <b>{queryCode}</b>
            </span>
          ),
        });
      navigate(`/projects/${project.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const questionLabel = (q: TemplateQuestion) => (en ? (QUESTION_EN[q.key] ?? q.label) : q.label);
  const optionLabel = (o: { value: string; label: string }) =>
    en ? (OPTION_EN[o.value] ?? o.label) : o.label;
  const districtLabel = (d: District) =>
    [
      d.name,
      d.kind === 'functional_zone' ? `（${t('register.district.functionalZone')}）` : '',
      d.boundaryLoaded ? '' : ` · ${t('register.district.noBoundary')}`,
    ].join('');

  return (
    <>
      <PageHeader title={t('register.title')} back="/projects" />
      {error !== null && <ErrorAlert error={error} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{
          totalInvestment: 8000,
          districtCode: '410102',
          plannedStart: beijingDay(1),
          plannedCompletion: beijingDay(25),
          siteMode: drawnSite ? 'geojson' : 'square',
          geojson: drawnSite ?? undefined,
          lon: 113.62,
          lat: 34.72,
          side: 100,
          attributes: {},
        }}
        data-testid="project-form"
      >
        <Card title={t('register.basic')} style={{ marginBottom: 16 }}>
          {asAgent && (
            <Form.Item
              name="enterpriseId"
              label={en ? 'Enterprise (建设单位) that gave consent' : '建设单位（已委托登记项目的企业）'}
              rules={[{ required: true, message: en ? 'Choose the enterprise' : '请选择建设单位' }]}
              extra={
                !consents.isLoading && enterprises.length === 0
                  ? en
                    ? 'No enterprise has consented yet: ask it to give consent under “Agent consent”.'
                    : '还没有企业委托您登记项目：请企业在“委托代办”中授权。'
                  : undefined
              }
            >
              <Select
                aria-label={en ? 'Enterprise' : '建设单位'}
                data-testid="project-enterprise"
                loading={consents.isLoading}
                options={enterprises.map((e) => ({ value: e.id, label: e.name }))}
              />
            </Form.Item>
          )}
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="name" label={t('register.name')} rules={[{ required: true, min: 2 }]}>
                <Input data-testid="project-name" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="templateCode" label={t('register.template')} rules={[{ required: true }]}>
                <Select
                  data-testid="project-template"
                  loading={templates.isPending}
                  options={(templates.data ?? []).map((tpl) => ({ value: tpl.code, label: tpl.name }))}
                  showSearch
                  optionFilterProp="label"
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="totalInvestment" label={t('register.investment')} rules={[{ required: true }]}>
                <InputNumber min={0} style={{ width: '100%' }} data-testid="project-investment" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="districtCode" label={t('register.district')} rules={[{ required: true }]}>
                <Select
                  data-testid="project-district"
                  loading={districts.isPending}
                  options={(districts.data ?? []).map((d) => ({ value: d.code, label: districtLabel(d) }))}
                  showSearch
                  optionFilterProp="label"
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="plannedStart"
                label={t('register.plannedStart')}
                rules={[
                  { required: true },
                  {
                    validator: (_, value: string) =>
                      !value || value >= beijingDay()
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('register.plannedStart.past'))),
                  },
                ]}
              >
                <Input type="date" min={beijingDay()} data-testid="project-start" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="plannedCompletion"
                label={t('register.plannedCompletion')}
                rules={[{ required: true }]}
              >
                <Input type="date" data-testid="project-completion" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('register.site')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('register.site.hint')}</Typography.Paragraph>
          <Form.Item name="siteMode">
            <Radio.Group
              options={[
                { value: 'square', label: t('register.site.square') },
                { value: 'geojson', label: t('register.site.geojson') },
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
                <Form.Item name="lon" label={t('register.site.lon')} rules={[{ required: true }]}>
                  <InputNumber step={0.001} style={{ width: '100%' }} data-testid="project-lon" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="lat" label={t('register.site.lat')} rules={[{ required: true }]}>
                  <InputNumber step={0.001} style={{ width: '100%' }} data-testid="project-lat" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="side" label={t('register.site.side')} rules={[{ required: true }]}>
                  <InputNumber min={1} max={5000} style={{ width: '100%' }} data-testid="project-side" />
                </Form.Item>
              </Col>
            </Row>
          )}
        </Card>
        <Card title={t('register.questions')} style={{ marginBottom: 16 }} data-testid="project-questions">
          {questions.length === 0 ? (
            <Typography.Text type="secondary">{t('register.questions.pickTemplate')}</Typography.Text>
          ) : (
            <Row gutter={16}>
              {questions.map((q) => (
                <Col span={8} key={q.key}>
                  <Form.Item
                    name={['attributes', q.key]}
                    label={questionLabel(q)}
                    tooltip={q.help ?? undefined}
                    extra={q.fixed ? t('register.questions.fixed') : undefined}
                  >
                    {q.type === 'enum' ? (
                      <Select
                        disabled={q.fixed}
                        data-testid={`question-${q.key}`}
                        options={(q.options ?? []).map((o) => ({ value: o.value, label: optionLabel(o) }))}
                      />
                    ) : q.type === 'number' ? (
                      <InputNumber min={0} style={{ width: '100%' }} data-testid={`question-${q.key}`} />
                    ) : (
                      <Radio.Group
                        data-testid={`question-${q.key}`}
                        options={[
                          { value: true, label: t('register.yes') },
                          { value: false, label: t('register.no') },
                        ]}
                      />
                    )}
                  </Form.Item>
                </Col>
              ))}
            </Row>
          )}
        </Card>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="project-submit">
          {t('register.submit')}
        </Button>
      </Form>
    </>
  );
}
