import { Card, Col, Descriptions, Flex, Row, Segmented, Select, Skeleton, Table, Tabs, Tag } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useCalendarYear, useCalendarYears } from '../../api/hooks';
import type { CalendarDay, CalendarSource } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { todayInBeijing } from '../../lib/time';
import { DeadlineCalculator } from './DeadlineCalculator';
import { MonthGrid } from './MonthGrid';
import { NoticeForm } from './NoticeForm';

const SOURCE_COLORS: Record<CalendarSource, string> = {
  'chinese-days': 'blue',
  notice: 'green',
  none: 'orange',
};

export default function CalendarPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const thisYear = Number(todayInBeijing().slice(0, 4));
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : thisYear;
  const monthParam = Number(params.get('month'));
  const month =
    Number.isInteger(monthParam) && monthParam >= 1 && monthParam <= 12
      ? monthParam
      : year === thisYear
        ? Number(todayInBeijing().slice(5, 7))
        : 1;

  const years = useCalendarYears();
  const detail = useCalendarYear(year);

  const yearOptions = useMemo(() => {
    const set = new Set<number>([
      thisYear - 1,
      thisYear,
      thisYear + 1,
      year,
      ...(years.data ?? []).map((y) => y.year),
    ]);
    return [...set].sort((a, b) => a - b).map((y) => ({ value: y, label: String(y) }));
  }, [years.data, thisYear, year]);

  const dayMap = useMemo(() => new Map((detail.data?.days ?? []).map((d) => [d.date, d])), [detail.data]);
  const holidays = detail.data?.days.filter((d) => d.kind === 'holiday').length ?? 0;
  const workdays = detail.data?.days.filter((d) => d.kind === 'workday').length ?? 0;

  const setParam = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          title={t('calendar.title')}
          extra={
            <Flex align="center" gap={8}>
              <span>{t('calendar.year')}</span>
              <Select
                value={year}
                options={yearOptions}
                onChange={(y: number) => setParam({ year: String(y), month: undefined })}
                style={{ width: 110 }}
                data-testid="calendar-year"
              />
            </Flex>
          }
        />
        {detail.isError ? (
          <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
        ) : detail.isPending ? (
          <Skeleton active />
        ) : (
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, md: 3 }}
            data-testid="calendar-summary"
            items={[
              {
                key: 'source',
                label: t('calendar.source'),
                children: (
                  <Tag color={SOURCE_COLORS[detail.data.source]} data-testid="calendar-source">
                    {t(`calendar.source.${detail.data.source}`)}
                  </Tag>
                ),
              },
              {
                key: 'holidays',
                label: t('calendar.holidays'),
                children: t('calendar.holidayCount', { n: holidays }),
              },
              {
                key: 'workdays',
                label: t('calendar.workdays'),
                children: t('calendar.workdayCount', { n: workdays }),
              },
              { key: 'title', label: t('calendar.noticeTitle'), span: 2, children: detail.data.title ?? '—' },
              {
                key: 'doc',
                label: t('calendar.documentNumber'),
                children: detail.data.documentNumber ?? '—',
              },
            ]}
          />
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card>
            <Tabs
              items={[
                {
                  key: 'grid',
                  label: t('calendar.grid'),
                  children: (
                    <Flex vertical gap={12}>
                      <Segmented
                        value={month}
                        onChange={(m) => setParam({ month: String(m) })}
                        options={Array.from({ length: 12 }, (_, i) => ({
                          value: i + 1,
                          label: String(i + 1),
                        }))}
                        block
                        data-testid="calendar-month"
                      />
                      <MonthGrid year={year} month={month} days={dayMap} />
                    </Flex>
                  ),
                },
                {
                  key: 'list',
                  label: t('calendar.list'),
                  children: (
                    <Table<CalendarDay>
                      rowKey="date"
                      size="small"
                      loading={detail.isPending}
                      dataSource={detail.data?.days ?? []}
                      pagination={{ pageSize: 15 }}
                      data-testid="calendar-days"
                      columns={[
                        { title: t('calendar.date'), dataIndex: 'date', width: 130 },
                        {
                          title: t('calendar.kind'),
                          dataIndex: 'kind',
                          width: 100,
                          render: (k: CalendarDay['kind']) => (
                            <Tag color={k === 'holiday' ? 'red' : 'blue'}>{t(`calendar.kind.${k}`)}</Tag>
                          ),
                        },
                        {
                          title: t('calendar.name'),
                          dataIndex: 'name',
                          render: (n: string | null) => n ?? '—',
                        },
                      ]}
                    />
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <DeadlineCalculator />
            <Card title={t('calendar.years')} size="small">
              <Table
                rowKey="year"
                size="small"
                pagination={false}
                loading={years.isPending}
                dataSource={years.data ?? []}
                onRow={(row) => ({
                  onClick: () => setParam({ year: String(row.year), month: undefined }),
                  className: 'zz-clickable-row',
                })}
                columns={[
                  { title: t('calendar.year'), dataIndex: 'year', width: 70 },
                  {
                    title: t('calendar.source'),
                    dataIndex: 'source',
                    render: (s: CalendarSource) => (
                      <Tag color={SOURCE_COLORS[s]}>{t(`calendar.source.${s}`)}</Tag>
                    ),
                  },
                  { title: t('calendar.holidays'), dataIndex: 'holidays', width: 70, align: 'right' },
                  { title: t('calendar.workdays'), dataIndex: 'workdays', width: 90, align: 'right' },
                ]}
              />
            </Card>
          </Flex>
        </Col>
      </Row>

      <NoticeForm year={year} current={detail.data} />
    </Flex>
  );
}
