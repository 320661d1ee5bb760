/**
 * The applicant's joint procedures of one project (issue 11): apply for a 多评合一 and submit its merged
 * report, follow each one's review and conclusions; follow the 方案联审 of the design scheme; see the
 * design firm's lifelong-responsibility commitment and print it (打印承诺书). Reached from the menu, or
 * with ?project=<id> from a project's page.
 */
import { Button, Card, Descriptions, Empty, Flex, Select, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useProject, useProjects, type Project } from '../projects/api';
import { useTx } from '../projects/strings';
import { jointMoreKeys, type DesignCommitment, type MergedAssessment, type SchemeReview } from './api';
import { AssessmentCard, OpenMergedAssessment } from './MergedAssessmentDesk';
import { SchemeCard } from './SchemeReviewDesk';

function Assessments({ project }: { project: Project }) {
  const tx = useTx();
  const { data, error, refetch, isPending } = useQuery({
    queryKey: [...jointMoreKeys.assessments, project.id],
    queryFn: ({ signal }) =>
      api.get<{ assessments: (MergedAssessment & { projectCode: string; projectName: string })[] }>(
        '/api/joint/merged-assessments',
        { projectId: project.id },
        signal,
      ),
    select: (d) => d.assessments,
  });
  const covered = new Set(
    (data ?? [])
      .filter((a) => a.status !== 'passed' && a.status !== 'withdrawn')
      .flatMap((a) => a.items.filter((i) => !i.ended).map((i) => i.taskId)),
  );
  return (
    <Flex vertical gap={16}>
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Typography.Paragraph type="secondary">
        {tx(
          '多评合一（任务50）：环评、节能、水土保持等评估评价一次申请、一次告知，委托一个评估机构同步编制一份报告，集中评审后各项评估由评审结论办结。',
          'Merged assessments (task 50): one application and one notice for several assessments, one report, one concentrated review.',
        )}
      </Typography.Paragraph>
      <OpenMergedAssessment project={project} covered={covered} />
      {isPending && <Card loading />}
      {(data ?? []).map((a) => (
        <AssessmentCard key={a.id} a={a} />
      ))}
    </Flex>
  );
}

function SchemeReviews({ project }: { project: Project }) {
  const tx = useTx();
  const { data, error, refetch } = useQuery({
    queryKey: [...jointMoreKeys.schemes, project.id],
    queryFn: ({ signal }) =>
      api.get<{ reviews: SchemeReview[] }>('/api/joint/scheme-reviews', { projectId: project.id }, signal),
    select: (d) => d.reviews,
  });
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!data || data.length === 0) return null;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={5}>{tx('方案联审', 'Scheme review')}</Typography.Title>
      {data.map((r) => (
        <SchemeCard key={r.id} r={{ ...r, projectCode: project.code, projectName: project.name }} />
      ))}
    </Flex>
  );
}

/** The design commitments on file; each prints as the signed A4 commitment (打印承诺书). */
function Commitments({ project }: { project: Project }) {
  const tx = useTx();
  const { data, error, refetch } = useQuery({
    queryKey: [...jointMoreKeys.commitments, project.id],
    queryFn: ({ signal }) =>
      api.get<{ commitments: DesignCommitment[] }>(
        `/api/joint/projects/${project.id}/design-commitments`,
        undefined,
        signal,
      ),
    select: (d) => d.commitments,
  });
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!data || data.length === 0) return null;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={5}>
        {tx('设计终身负责承诺', 'Lifelong-responsibility commitments')}
      </Typography.Title>
      {data.map((c) => (
        <Card
          key={c.id}
          size="small"
          data-testid={`commitment-${c.id}`}
          title={`${c.firmName}（${c.firmGradeName}）`}
          extra={
            <Flex gap={8} align="center">
              <Tag color={c.revoked ? 'default' : 'success'}>
                {c.revoked
                  ? tx('已撤销', 'Revoked')
                  : tx('有效，纳入事后抽查', 'In force, post-inspection pool')}
              </Tag>
              <Button
                href={c.pdfUrl}
                target="_blank"
                rel="noopener"
                size="small"
                data-testid="commitment-print"
              >
                {tx('打印承诺书', 'Print the commitment')}
              </Button>
            </Flex>
          }
        >
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={tx('资质证书编号', 'Qualification no.')}>
              {c.qualificationNumber}
            </Descriptions.Item>
            <Descriptions.Item label={tx('设计负责人', 'Chief designer')}>
              {c.chiefDesigner}（{c.chiefDesignerReg}）
            </Descriptions.Item>
            <Descriptions.Item label={tx('签署日期', 'Signed on')}>{c.signedOn}</Descriptions.Item>
            {c.revokedReason && (
              <Descriptions.Item label={tx('撤销原因', 'Why revoked')}>{c.revokedReason}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      ))}
    </Flex>
  );
}

export default function JointProjectPage() {
  const tx = useTx();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project');
  const projects = useProjects();
  const project = useProject(projectId);
  return (
    <>
      <PageHeader title={tx('联合办理', 'Joint procedures')} />
      <Select
        style={{ width: 480, marginBottom: 16 }}
        placeholder={tx('选择项目', 'Choose a project')}
        value={projectId ?? undefined}
        loading={projects.isPending}
        onChange={(id: string) => setParams({ project: id })}
        data-testid="joint-project"
        showSearch
        optionFilterProp="label"
        options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
      />
      {projects.error && <ErrorAlert error={projects.error} onRetry={() => void projects.refetch()} />}
      {project.error && <ErrorAlert error={project.error} onRetry={() => void project.refetch()} />}
      {!projectId && <Empty description={tx('请选择项目', 'Choose a project')} />}
      {project.data && (
        <Flex vertical gap={24}>
          <Commitments project={project.data} />
          <SchemeReviews project={project.data} />
          <Assessments project={project.data} />
        </Flex>
      )}
    </>
  );
}
