import { Card, Col, Flex, Row, Statistic, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useCatalogItems, useDepartmentNames, useProcessTemplates } from '../../api/hooks';
import { areas } from '../../app/areas';
import { buildMenu, menuLeaves } from '../../app/menu';
import { useAuth } from '../../auth';
import { useT } from '../../i18n';
import { todayInBeijing } from '../../lib/time';

export default function HomePage() {
  const t = useT();
  const { user } = useAuth();
  const departmentName = useDepartmentNames();
  const role = user!.role;
  const items = useCatalogItems({});
  const templates = useProcessTemplates();
  const links = useMemo(
    () =>
      menuLeaves(
        buildMenu(
          areas.map((a) => a.menu),
          role,
        ),
      ).filter((l) => l.path !== '/'),
    [role],
  );
  const longest = templates.data?.reduce((max, tpl) => Math.max(max, tpl.totalWorkingDays), 0);

  return (
    <Flex vertical gap={16}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap={16}>
          <div>
            <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="home-welcome">
              {t('home.welcome', { name: user!.displayName })}
            </Typography.Title>
            <Flex gap={8} wrap align="center">
              <Tag color="blue">{t(`role.${role}`)}</Tag>
              {user!.departmentCode && <Tag>{departmentName(user!.departmentCode)}</Tag>}
              {user!.enterpriseName && <Tag>{user!.enterpriseName}</Tag>}
              <Typography.Text type="secondary">{t(`home.intro.${role}`)}</Typography.Text>
            </Flex>
          </div>
          <Typography.Text type="secondary">{todayInBeijing()}</Typography.Text>
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('home.catalogItems')}
              value={items.data?.length ?? '—'}
              loading={items.isPending}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('home.templates')}
              value={templates.data?.length ?? '—'}
              loading={templates.isPending}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('home.maxTotal')}
              value={longest ?? '—'}
              suffix={t('common.days')}
              loading={templates.isPending}
              styles={{ content: { color: longest !== undefined && longest > 100 ? '#cf1322' : '#389e0d' } }}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('home.target')}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Card title={t('home.quickLinks')}>
        <Row gutter={[16, 16]}>
          {links.map((link) => (
            <Col key={link.key} xs={12} md={6}>
              <Link to={link.path!} data-testid={`quick-${link.key}`}>
                <Card hoverable size="small">
                  <Flex align="center" gap={12}>
                    <span style={{ fontSize: 22, color: '#1a56a8' }}>{link.icon}</span>
                    <span>{t(link.labelKey)}</span>
                  </Flex>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </Flex>
  );
}
