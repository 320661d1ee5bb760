/**
 * 中介机构自助入驻 (public, no login): like the enterprise registration (one procedure, identity), with
 * the organisation's contact, its qualification and the services it offers (fee within the list's
 * standard, its 服务承诺 time limit). 政务办 reviews and lists it; the account can log in from then on.
 */
import { MinusCircleOutlined, PlusOutlined, ShopOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Divider, Flex, Form, Input, InputNumber, Result, Select, Space } from 'antd';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { useTx } from '../projects/strings';
import { yuan, type PublicMarketplace } from './api';

interface Offer {
  serviceCode: string;
  feeYuan: number;
  committedDays: number;
  commitment: string;
}

interface Registration {
  name: string;
  creditCode: string;
  legalPerson: string;
  contactName: string;
  contactPhone: string;
  address: string;
  displayName: string;
  username: string;
  password: string;
  qualifications: { name: string; grade: string; certificateNo: string; issuer: string; expiresOn: string }[];
  offers: Offer[];
}

/** body.offers.0.feeYuan → ['offers', 0, 'feeYuan'] (the form's field path). */
const fieldPath = (field: string) =>
  field
    .slice(5)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

export default function RegisterIntermediaryPage() {
  const t = useT();
  const tx = useTx();
  const [form] = Form.useForm<Registration>();
  const market = useQuery({
    queryKey: ['public-marketplace'],
    queryFn: ({ signal }) => api.get<PublicMarketplace>('/api/public/marketplace', undefined, signal),
  });
  const services = (market.data?.services ?? []).filter((s) => s.list === 'intermediary');
  const submit = useMutation({
    mutationFn: (v: Registration) =>
      api.post<{ message: string }>('/api/public/marketplace/registrations', {
        ...v,
        offers: v.offers.map((o) => ({ ...o, qualificationIndex: 0 })),
      }),
    onError: (err) => {
      if (err instanceof ApiError && err.field?.startsWith('body.')) {
        form.setFields([{ name: fieldPath(err.field) as never, errors: [err.message] }]);
      }
    },
  });
  const shownError = submit.isError && !(submit.error instanceof ApiError && submit.error.field);
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex
        align="center"
        gap={12}
        style={{
          background: 'linear-gradient(90deg, #0f3a7d, #1d5bb8)',
          color: '#fff',
          padding: '14px 16px',
          fontSize: 18,
          fontWeight: 600,
        }}
      >
        <ShopOutlined />
        <span>{tx('网上中介服务超市 · 中介机构入驻', 'Intermediary marketplace · register')}</span>
      </Flex>
      <Card style={{ maxWidth: 720, margin: '16px auto' }}>
        {submit.isSuccess ? (
          <Result
            status="success"
            title={tx('入驻申请已提交', 'Registration submitted')}
            subTitle={tx(
              '政务办审核营业执照、资质、收费及服务承诺后入库，入库后即可用所填用户名登录。',
              'Once 政务办 has checked your licence, qualification, fees and commitments, you can log in.',
            )}
            extra={<Link to="/public/marketplace">{tx('返回中介服务超市', 'Back to the marketplace')}</Link>}
            data-testid="intermediary-register-done"
          />
        ) : (
          <Form
            form={form}
            layout="vertical"
            initialValues={{ offers: [{}] }}
            onFinish={(v) => submit.mutate(v)}
            data-testid="intermediary-register-form"
          >
            {shownError && (
              <Alert
                type="error"
                showIcon
                message={errorMessage(submit.error, t)}
                style={{ marginBottom: 16 }}
              />
            )}
            <Divider titlePlacement="start">{tx('机构信息', 'Organisation')}</Divider>
            <Form.Item name="name" label={tx('机构名称', 'Name')} rules={[{ required: true }]}>
              <Input data-testid="ir-name" />
            </Form.Item>
            <Form.Item
              name="creditCode"
              label={tx('统一社会信用代码', 'Unified social credit code')}
              rules={[{ required: true, len: 18, message: tx('18 位', '18 characters') }]}
            >
              <Input data-testid="ir-credit-code" maxLength={18} />
            </Form.Item>
            <Space wrap>
              <Form.Item
                name="legalPerson"
                label={tx('法定代表人', 'Legal representative')}
                rules={[{ required: true }]}
              >
                <Input data-testid="ir-legal-person" />
              </Form.Item>
              <Form.Item name="contactName" label={tx('联系人', 'Contact')} rules={[{ required: true }]}>
                <Input data-testid="ir-contact" />
              </Form.Item>
              <Form.Item name="contactPhone" label={tx('联系电话', 'Phone')} rules={[{ required: true }]}>
                <Input data-testid="ir-phone" />
              </Form.Item>
            </Space>
            <Form.Item name="address" label={tx('办公地址', 'Address')} rules={[{ required: true }]}>
              <Input data-testid="ir-address" />
            </Form.Item>

            <Divider titlePlacement="start">{tx('资质', 'Qualification')}</Divider>
            <Space wrap>
              <Form.Item
                name={['qualifications', 0, 'name']}
                label={tx('资质名称', 'Name')}
                rules={[{ required: true }]}
              >
                <Input data-testid="ir-q-name" />
              </Form.Item>
              <Form.Item
                name={['qualifications', 0, 'grade']}
                label={tx('等级', 'Grade')}
                rules={[{ required: true }]}
              >
                <Input data-testid="ir-q-grade" style={{ width: 100 }} />
              </Form.Item>
              <Form.Item
                name={['qualifications', 0, 'certificateNo']}
                label={tx('证书编号', 'Certificate no.')}
                rules={[{ required: true }]}
              >
                <Input data-testid="ir-q-cert" />
              </Form.Item>
              <Form.Item
                name={['qualifications', 0, 'issuer']}
                label={tx('发证机关', 'Issuer')}
                rules={[{ required: true }]}
              >
                <Input data-testid="ir-q-issuer" />
              </Form.Item>
              <Form.Item
                name={['qualifications', 0, 'expiresOn']}
                label={tx('有效期至', 'Valid until')}
                rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}
              >
                <Input placeholder="2028-12-31" data-testid="ir-q-expires" style={{ width: 130 }} />
              </Form.Item>
            </Space>

            <Divider titlePlacement="start">{tx('提供的服务与服务承诺', 'Services and commitments')}</Divider>
            <Form.List name="offers">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="start" wrap>
                      <Form.Item
                        name={[f.name, 'serviceCode']}
                        label={tx('中介服务事项', 'Service')}
                        rules={[{ required: true }]}
                      >
                        <Select
                          style={{ width: 260 }}
                          data-testid={`ir-offer-service-${f.name}`}
                          options={services.map((s) => ({
                            value: s.code,
                            label: `${s.name}（${tx('上限', 'max')} ${s.feeMaxYuan === null ? tx('不收费', 'free') : yuan(s.feeMaxYuan)}，${s.timeLimitDays} ${tx('个工作日', 'wd')}）`,
                          }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'feeYuan']}
                        label={tx('收费（元）', 'Fee (yuan)')}
                        rules={[{ required: true }]}
                      >
                        <InputNumber min={0} data-testid={`ir-offer-fee-${f.name}`} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'committedDays']}
                        label={tx('承诺时限（工作日）', 'Committed working days')}
                        rules={[{ required: true }]}
                      >
                        <InputNumber min={1} max={365} data-testid={`ir-offer-days-${f.name}`} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'commitment']}
                        label={tx('服务承诺', 'Commitment')}
                        rules={[{ required: true }]}
                      >
                        <Input data-testid={`ir-offer-commitment-${f.name}`} style={{ width: 220 }} />
                      </Form.Item>
                      {fields.length > 1 && (
                        <MinusCircleOutlined style={{ marginTop: 38 }} onClick={() => remove(f.name)} />
                      )}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                    {tx('再添加一项服务', 'Add a service')}
                  </Button>
                </>
              )}
            </Form.List>

            <Divider titlePlacement="start">{tx('登录账号', 'Account')}</Divider>
            <Space wrap>
              <Form.Item
                name="displayName"
                label={tx('经办人姓名', 'Your name')}
                rules={[{ required: true }]}
              >
                <Input data-testid="ir-display-name" />
              </Form.Item>
              <Form.Item name="username" label={tx('登录用户名', 'User name')} rules={[{ required: true }]}>
                <Input autoComplete="username" data-testid="ir-username" />
              </Form.Item>
              <Form.Item name="password" label={tx('密码', 'Password')} rules={[{ required: true, min: 8 }]}>
                <Input.Password autoComplete="new-password" data-testid="ir-password" />
              </Form.Item>
            </Space>
            <Flex justify="space-between" align="center">
              <Link to="/public/marketplace">{tx('返回中介服务超市', 'Back to the marketplace')}</Link>
              <Button type="primary" htmlType="submit" loading={submit.isPending} data-testid="ir-submit">
                {tx('提交入驻申请', 'Register')}
              </Button>
            </Flex>
          </Form>
        )}
      </Card>
    </div>
  );
}
