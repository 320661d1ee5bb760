/** One project seen by the stage lead: each stage's parallel items, department, deadline, state; late ones red. */
import { Alert, Card, Spin } from 'antd';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { todayInBeijing } from '../../lib/time';
import { useProject } from '../projects/api';
import { StageTimeline } from '../projects/StageTimeline';
import { useTx } from '../projects/strings';
import { ForecastCard } from '../forecast/ForecastCard';

export default function CoordinationProjectPage() {
  const { id = '' } = useParams();
  const tx = useTx();
  const { user } = useAuth();
  const { data, error } = useProject(id);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  const today = todayInBeijing();
  const late = data.stages
    .flatMap((s) => s.tasks)
    .filter((t) => t.status === 'in_review' || t.status === 'paused')
    .filter((t) => t.deadline < today);
  const led = data.stages
    .filter((s) => s.leadDepartmentCode === user?.departmentCode)
    .map((s) => s.nationalStage);
  return (
    <>
      <PageHeader title={data.name} subTitle={data.code} back="/coordination" />
      {late.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="late-alert"
          title={tx(`${late.length} 个事项已超期，请督促相关部门`, `${late.length} items are late`)}
        />
      )}
      {led.length > 0 && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={tx(`本部门牵头：第 ${led.join('、')} 阶段`, `Your department leads stage ${led.join(', ')}`)}
        />
      )}
      <ForecastCard projectId={data.id} />
      <Card>
        <StageTimeline project={data} />
      </Card>
    </>
  );
}
