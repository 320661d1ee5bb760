/**
 * 电子证照核验 (public, no login): the QR code on a certificate points here. Shows whether the certificate
 * is valid (issued through the system, signature verified, not revoked or expired) and its details.
 */
import { BankOutlined, CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Input, Result, Spin, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/time';
import type { VerifyResult } from '../projects/api';
import { useTx } from '../projects/strings';

export default function VerifyPage() {
  const { id = '' } = useParams();
  const tx = useTx();
  const navigate = useNavigate();
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex
        align="center"
        gap={12}
        style={{
          background: 'linear-gradient(90deg, #0f3a7d, #1d5bb8)',
          color: '#fff',
          padding: '14px 32px',
          fontSize: 18,
          fontWeight: 600,
        }}
      >
        <BankOutlined />
        <span>
          {tx(
            '郑州市工程建设项目审批管理系统 · 电子证照核验',
            'Zhengzhou approval system · certificate verification',
          )}
        </span>
      </Flex>
      <Flex vertical gap={16} style={{ maxWidth: 880, margin: '24px auto', padding: '0 16px' }}>
        <Card>
          <Input.Search
            defaultValue={id}
            key={id}
            enterButton={tx('核验', 'Verify')}
            placeholder={tx('请输入电子证照编号', 'Certificate id')}
            onSearch={(v) => v.trim() && navigate(`/verify/${encodeURIComponent(v.trim())}`)}
            data-testid="verify-search"
          />
        </Card>
        {id && <VerifyResultCard id={id} />}
        <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
          {tx(
            '仅经本系统签发并通过国密 SM2 签名验证的电子证照有效（杜绝体外循环）。',
            'Only certificates issued through this system with a valid SM2 signature are valid.',
          )}
        </Typography.Text>
      </Flex>
    </div>
  );
}

function VerifyResultCard({ id }: { id: string }) {
  const tx = useTx();
  const { data, error, isPending } = useQuery({
    queryKey: ['verify', id],
    queryFn: ({ signal }) =>
      api.get<VerifyResult>(`/api/certificates/${encodeURIComponent(id)}/verify`, undefined, signal),
  });
  if (error) return <ErrorAlert error={error} />;
  if (isPending || !data) return <Spin />;
  return (
    <Card data-testid="verify-result" data-valid={String(data.valid)}>
      <Result
        icon={
          data.valid ? (
            <CheckCircleFilled style={{ color: '#52c41a' }} />
          ) : (
            <CloseCircleFilled style={{ color: '#cf1322' }} />
          )
        }
        title={
          <span data-testid="verify-status">
            {data.valid ? tx('证照有效', 'Valid certificate') : tx('证照无效', 'Invalid certificate')}
          </span>
        }
        subTitle={data.reason}
      />
      {data.identifier && (
        <Descriptions bordered size="small" column={1} data-testid="verify-details">
          <Descriptions.Item label={tx('证照名称', 'Title')}>{data.title}</Descriptions.Item>
          <Descriptions.Item label={tx('证照标识', 'Identifier')}>{data.identifier}</Descriptions.Item>
          <Descriptions.Item label={tx('持证单位', 'Holder')}>{data.holderName}</Descriptions.Item>
          <Descriptions.Item label={tx('发证时间', 'Issued')}>
            {formatDateTime(data.issuedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={tx('有效期至', 'Valid until')}>
            {data.longTerm ? tx('长期有效', 'No expiry') : data.validUntil}
          </Descriptions.Item>
          {/* What the certificate itself states (its national form's fields), in its own order and words. */}
          {(data.details ?? []).map((d) => (
            <Descriptions.Item key={d.label} label={d.label}>
              {d.value}
            </Descriptions.Item>
          ))}
          {data.simulated && (
            <Descriptions.Item label={tx('说明', 'Note')}>
              {tx('模拟审批结果，尚未转为正式', 'Simulated, not yet formal')}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Card>
  );
}
