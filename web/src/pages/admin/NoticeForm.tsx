import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useLoadCalendarNotice } from '../../api/hooks';
import type { CalendarYear } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';

interface NoticeFormValues {
  title: string;
  documentNumber: string;
  days: { date?: Dayjs; kind: 'holiday' | 'workday'; name?: string }[];
}

function emptyValues(year: number): NoticeFormValues {
  return {
    title: `国务院办公厅关于${year}年部分节假日安排的通知`,
    documentNumber: '',
    days: [{ kind: 'holiday' }],
  };
}

/** Load a year's State Council holiday notice: PUT /api/admin/calendar/notices/:year. */
export function NoticeForm({ year, current }: { year: number; current: CalendarYear | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<NoticeFormValues>();
  const load = useLoadCalendarNotice();

  useEffect(() => {
    form.setFieldsValue(emptyValues(year));
    load.reset(); // the year changed: start a fresh form
  }, [year]);

  const prefill = () => {
    if (!current) return;
    form.setFieldsValue({
      title: current.title ?? emptyValues(year).title,
      documentNumber: current.documentNumber ?? '',
      days: current.days.map((d) => ({ date: dayjs(d.date), kind: d.kind, name: d.name ?? undefined })),
    });
  };

  const onFinish = async (values: NoticeFormValues) => {
    await load
      .mutateAsync({
        year,
        title: values.title.trim(),
        documentNumber: values.documentNumber.trim(),
        days: values.days.map((d) => ({
          date: d.date!.format('YYYY-MM-DD'),
          kind: d.kind,
          ...(d.name?.trim() ? { name: d.name.trim() } : {}),
        })),
      })
      .then(() => message.success(t('calendar.saved', { year })))
      .catch(() => undefined);
  };

  return (
    <Card
      title={t('calendar.loadNotice')}
      extra={
        <Button
          onClick={prefill}
          disabled={!current || current.days.length === 0}
          data-testid="notice-prefill"
        >
          {t('calendar.prefill')}
        </Button>
      }
      data-testid="notice-card"
    >
      <Typography.Paragraph type="secondary">{t('calendar.loadNoticeHint')}</Typography.Paragraph>
      <Form<NoticeFormValues>
        form={form}
        layout="vertical"
        initialValues={emptyValues(year)}
        onFinish={onFinish}
      >
        <Form.Item
          name="title"
          label={t('calendar.noticeTitle')}
          rules={[{ required: true, whitespace: true, message: t('calendar.titleRequired') }]}
        >
          <Input data-testid="notice-title" />
        </Form.Item>
        <Form.Item
          name="documentNumber"
          label={t('calendar.documentNumber')}
          rules={[{ required: true, whitespace: true, message: t('calendar.docRequired') }]}
        >
          <Input placeholder="国办发明电〔20XX〕X号" data-testid="notice-doc" />
        </Form.Item>
        <Form.List
          name="days"
          rules={[
            {
              validator: async (_rule, days: unknown[] | undefined) => {
                if (!days || days.length === 0) throw new Error(t('calendar.daysRequired'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item
                    name={[field.name, 'date']}
                    rules={[
                      { required: true, message: t('calendar.dateRequired') },
                      {
                        validator: async (_rule, value: Dayjs | undefined) => {
                          if (value && value.year() !== year)
                            throw new Error(t('calendar.dateOutOfYear', { year }));
                        },
                      },
                    ]}
                  >
                    <DatePicker
                      format="YYYY-MM-DD"
                      placeholder={t('calendar.date')}
                      defaultPickerValue={dayjs(`${year}-01-01`)}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'kind']} initialValue="holiday">
                    <Select
                      style={{ width: 120 }}
                      options={[
                        { value: 'holiday', label: t('calendar.kind.holiday') },
                        { value: 'workday', label: t('calendar.kind.workday') },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'name']}>
                    <Input placeholder={t('calendar.name')} style={{ width: 180 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label="remove" />
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'holiday' })} block>
                  {t('calendar.addDay')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Form.Item>
            </>
          )}
        </Form.List>
        {load.isError && (
          <div style={{ marginBottom: 16 }}>
            <ErrorAlert error={load.error} />
          </div>
        )}
        <Button type="primary" htmlType="submit" loading={load.isPending} data-testid="notice-submit">
          {t('calendar.submit')}
        </Button>
      </Form>
    </Card>
  );
}
