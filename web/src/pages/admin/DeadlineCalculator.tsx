import { CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  InputNumber,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useDeadline } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { todayInBeijing } from '../../lib/time';

interface DeadlineForm {
  start: Dayjs;
  workingDays: number;
}

export function DeadlineCalculator() {
  const t = useT();
  const [params, setParams] = useState<{ start: string; workingDays: number } | null>(null);
  const deadline = useDeadline(params);

  return (
    <Card title={t('calendar.deadline')} data-testid="deadline-card">
      <Typography.Paragraph type="secondary">{t('calendar.deadlineHint')}</Typography.Paragraph>
      <Form<DeadlineForm>
        layout="inline"
        initialValues={{ start: dayjs(todayInBeijing()), workingDays: 20 }}
        onFinish={(v) => setParams({ start: v.start.format('YYYY-MM-DD'), workingDays: v.workingDays })}
        style={{ rowGap: 12 }}
      >
        <Form.Item name="start" label={t('calendar.start')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} format="YYYY-MM-DD" data-testid="deadline-start" />
        </Form.Item>
        <Form.Item name="workingDays" label={t('calendar.workingDays')} rules={[{ required: true }]}>
          <InputNumber min={0} max={2000} precision={0} data-testid="deadline-days" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="deadline-compute">
            {t('calendar.compute')}
          </Button>
        </Form.Item>
      </Form>
      <div style={{ marginTop: 16 }}>
        {params && deadline.isFetching && <Spin />}
        {deadline.isError && <ErrorAlert error={deadline.error} />}
        {deadline.data && !deadline.isFetching && (
          <Descriptions
            bordered
            size="small"
            column={1}
            data-testid="deadline-result"
            items={[
              { key: 'start', label: t('calendar.start'), children: deadline.data.start },
              { key: 'days', label: t('calendar.workingDays'), children: deadline.data.workingDays },
              {
                key: 'deadline',
                label: t('calendar.deadlineResult'),
                children: (
                  <Typography.Text strong style={{ fontSize: 16 }} data-testid="deadline-value">
                    {deadline.data.deadline}
                  </Typography.Text>
                ),
              },
              {
                key: 'complete',
                label: t('calendar.complete'),
                children: deadline.data.calendarComplete ? (
                  <Tag color="success" icon={<CheckCircleOutlined />} data-testid="deadline-complete">
                    {t('common.yes')}
                  </Tag>
                ) : (
                  <Alert
                    type="warning"
                    showIcon
                    icon={<WarningOutlined />}
                    title={t('calendar.incomplete')}
                    data-testid="deadline-incomplete"
                  />
                ),
              },
            ]}
          />
        )}
      </div>
    </Card>
  );
}
