/**
 * 绿色通道 / 重点关注 beside an enterprise's name on the window's and reviewers' pages (issue 12): the joint
 * incentives and punishments that apply to it, each with its reason (GET /api/credit/standing).
 */
import { useQuery } from '@tanstack/react-query';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { api } from '../../api/client';
import { useTx } from '../projects/strings';

interface Standing {
  enterpriseId: string;
  grade: 'A' | 'B' | 'C' | 'D';
  black: boolean;
  red: boolean;
  priority: boolean;
  flagged: boolean;
  reasons: string[];
}

const gradeColor: Record<string, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

export function CreditStandingFlag({ enterpriseId }: { enterpriseId: string | undefined }) {
  const tx = useTx();
  const { data } = useQuery({
    queryKey: ['credit-standing', enterpriseId],
    enabled: !!enterpriseId,
    queryFn: ({ signal }) =>
      api.get<Standing>(`/api/credit/standing?enterprise=${enterpriseId}`, undefined, signal),
  });
  if (!data) return null;
  const reasons = (
    <div>
      {data.reasons.map((r) => (
        <div key={r}>{r}</div>
      ))}
    </div>
  );
  return (
    <Space size={4} data-testid="credit-standing">
      <Tooltip title={reasons}>
        <Tag color={gradeColor[data.grade]}>
          {tx('信用', 'Credit')} {data.grade}
        </Tag>
      </Tooltip>
      {data.priority && (
        <Tooltip title={reasons}>
          <Tag color="green" data-testid="credit-green-channel">
            {tx('绿色通道', 'Green channel')}
          </Tag>
        </Tooltip>
      )}
      {data.flagged && (
        <Tooltip title={reasons}>
          <Tag color="red" data-testid="credit-flagged">
            {tx('失信重点关注', 'Dishonesty watch')}
          </Tag>
        </Tooltip>
      )}
      {/* The reasons in plain sight when a measure bites (a tooltip alone is easily missed at the window). */}
      {(data.flagged || data.priority) && (
        <Typography.Text
          type={data.flagged ? 'danger' : 'success'}
          style={{ fontSize: 12 }}
          data-testid="credit-standing-reasons"
        >
          {data.reasons.slice(1).join('；')}
        </Typography.Text>
      )}
    </Space>
  );
}
