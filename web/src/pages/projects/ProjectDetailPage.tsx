/**
 * 项目详情: the project, its stage timeline with every parallel task, applications, certificates and the
 * documents the offices issued (受理通知书, 补正告知书, 决定书 …) to print.
 */
import { Card, Descriptions, Spin, Table, Tag } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useProcessTemplates } from '../../api/hooks';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/time';
import {
  useCertificates,
  useDesignCommitments,
  useProject,
  useReferenceValues,
  type Certificate,
  type DesignCommitment,
} from './api';
import { Documents } from './Documents';
import { ApplicationPanel } from './ApplicationPanel';
import { ApplyButton, StageTimeline } from './StageTimeline';
import { useTx } from './strings';
import { ForecastCard } from '../forecast/ForecastCard';

export default function ProjectDetailPage() {
  const { id = '' } = useParams();
  const tx = useTx();
  const { hasRole } = useAuth();
  const { data: project, error, refetch } = useProject(id);
  const { data: templates } = useProcessTemplates();
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!project) return <Spin />;
  const applicant = hasRole('applicant', 'agent');
  return (
    <>
      <PageHeader
        title={<span data-testid="project-name">{project.name}</span>}
        subTitle={<span data-testid="project-code">{project.code}</span>}
        back="/projects"
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={tx('建设单位', 'Enterprise')}>{project.enterpriseName}</Descriptions.Item>
          <Descriptions.Item label={tx('审批流程', 'Template')}>
            {templates?.find((x) => x.code === project.templateCode)?.name ?? '—'}
            {tx(`（第 ${project.templateVersion} 版）`, ` (version ${project.templateVersion})`)}
          </Descriptions.Item>
          <Descriptions.Item label={tx('总投资', 'Investment')}>
            {tx(`${project.totalInvestment} 万元`, `${project.totalInvestment} ×10k CNY`)}
          </Descriptions.Item>
          <Descriptions.Item label={tx('用地面积', 'Site area')}>
            {Math.round(project.siteAreaM2).toLocaleString()} m²
          </Descriptions.Item>
          <Descriptions.Item label={tx('计划工期', 'Planned')}>
            {project.plannedStart} — {project.plannedCompletion}
          </Descriptions.Item>
          <Descriptions.Item label={tx('登记时间', 'Registered')}>
            {formatDateTime(project.createdAt)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <ForecastCard projectId={project.id} />
      <Card title={tx('审批进度', 'Progress')} style={{ marginBottom: 16 }}>
        <StageTimeline
          project={project}
          actions={(s) => (applicant ? <ApplyButton projectId={project.id} stage={s} /> : undefined)}
        >
          {(s) =>
            s.applicationId ? (
              <ApplicationPanel applicationId={s.applicationId} projectId={project.id} canAct={applicant} />
            ) : null
          }
        </StageTimeline>
      </Card>
      <Certificates projectId={project.id} />
      <DesignCommitments projectId={project.id} />
      <Documents projectId={project.id} />
    </>
  );
}

function Certificates({ projectId }: { projectId: string }) {
  const tx = useTx();
  const { data, isPending } = useCertificates(projectId);
  const noExpiry = useReferenceValues().data?.noExpiryDate;
  return (
    <Card title={tx('电子证照', 'Certificates')}>
      <Table<Certificate>
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data ?? []}
        pagination={false}
        data-testid="certificates-table"
        onRow={(c) => ({ 'data-testid': `certificate-row-${c.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tx('证照名称', 'Title'), dataIndex: 'title' },
          { title: tx('证照标识', 'Identifier'), dataIndex: 'identifier' },
          { title: tx('发证时间', 'Issued'), dataIndex: 'issuedAt', render: formatDateTime },
          {
            title: tx('有效期至', 'Valid until'),
            dataIndex: 'validUntil',
            render: (v: string) => (v === noExpiry ? tx('长期有效', 'No expiry') : v),
          },
          {
            title: tx('状态', 'State'),
            render: (_: unknown, c) =>
              c.revoked ? (
                <Tag color="red">{tx('已撤销', 'Revoked')}</Tag>
              ) : c.simulated ? (
                <Tag color="purple">{tx('模拟审批', 'Simulated')}</Tag>
              ) : (
                <Tag color="green">{tx('有效', 'Valid')}</Tag>
              ),
          },
          {
            title: tx('操作', 'Actions'),
            render: (_: unknown, c) => (
              <>
                <a href={`/api/certificates/${c.id}/pdf`} download data-testid="certificate-pdf">
                  {tx('下载PDF', 'PDF')}
                </a>{' '}
                · <Link to={`/verify/${c.id}`}>{tx('核验', 'Verify')}</Link>
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** 设计终身负责承诺 (甲级免审): each signed commitment with its printable 承诺书, when the project has any. */
function DesignCommitments({ projectId }: { projectId: string }) {
  const tx = useTx();
  const { data } = useDesignCommitments(projectId);
  if (!data || data.length === 0) return null;
  return (
    <Card title={tx('设计终身负责承诺', 'Design responsibility commitments')} style={{ marginTop: 16 }}>
      <Table<DesignCommitment>
        rowKey="id"
        size="small"
        dataSource={data}
        pagination={false}
        data-testid="design-commitments"
        columns={[
          { title: tx('设计单位', 'Design firm'), dataIndex: 'firmName' },
          { title: tx('资质等级', 'Grade'), dataIndex: 'firmGradeName' },
          { title: tx('设计负责人', 'Chief designer'), dataIndex: 'chiefDesigner' },
          { title: tx('签署日期', 'Signed on'), dataIndex: 'signedOn' },
          {
            title: tx('状态', 'State'),
            render: (_: unknown, c) =>
              c.revoked ? (
                <Tag color="red">{tx('已撤销', 'Revoked')}</Tag>
              ) : (
                <Tag color="green">{tx('有效', 'In force')}</Tag>
              ),
          },
          {
            title: tx('操作', 'Actions'),
            render: (_: unknown, c) => (
              <a href={c.pdfUrl} target="_blank" rel="noreferrer" data-testid="commitment-pdf">
                {tx('打印承诺书', 'Print commitment')}
              </a>
            ),
          },
        ]}
      />
    </Card>
  );
}
