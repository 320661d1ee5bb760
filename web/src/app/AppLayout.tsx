import { BankOutlined, LogoutOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import {
  Avatar,
  Button,
  Flex,
  Layout,
  Menu,
  Result,
  Spin,
  Tag,
  Tooltip,
  Typography,
  type MenuProps,
} from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useMatches, useNavigate } from 'react-router-dom';
import { useDepartmentNames } from '../api/hooks';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { areas } from './areas';
import { buildMenu, parentKeys, selectedLeaf } from './menu';
import type { AppMenuItem, RouteHandle } from './types';

const { Header, Sider, Content, Footer } = Layout;

type AntMenuItem = Required<MenuProps>['items'][number];

export function AppLayout() {
  const { user, logout } = useAuth();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const matches = useMatches();
  const departmentName = useDepartmentNames();
  const [collapsed, setCollapsed] = useState(false);

  const role = user!.role;
  const menu = useMemo(
    () =>
      buildMenu(
        areas.map((a) => a.menu),
        role,
      ),
    [role],
  );
  const selected = selectedLeaf(menu, location.pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(() => menu.filter((m) => m.children).map((m) => m.key));

  const toAnt = (items: AppMenuItem[]): AntMenuItem[] =>
    items.map((item) =>
      item.children
        ? { key: item.key, icon: item.icon, label: t(item.labelKey), children: toAnt(item.children) }
        : {
            key: item.key,
            icon: item.icon,
            label: (
              <Link to={item.path ?? '/'} data-testid={`menu-${item.key}`}>
                {t(item.labelKey)}
              </Link>
            ),
          },
    );

  const forbidden = matches.some((m) => {
    const roles = (m.handle as RouteHandle | undefined)?.roles;
    return roles !== undefined && !roles.includes(role);
  });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header className="zz-header">
        <Link to="/" className="zz-brand" data-testid="app-title">
          <span className="zz-emblem">
            <BankOutlined />
          </span>
          <span className="zz-brand-text">{t('app.title')}</span>
        </Link>
        <Flex align="center" gap={16} className="zz-header-right">
          <Tooltip title={t('common.language')}>
            <Button
              type="text"
              className="zz-header-button"
              icon={<TranslationOutlined />}
              onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
              data-testid="lang-switch"
            >
              {t('header.switchLanguage')}
            </Button>
          </Tooltip>
          <Flex align="center" gap={8} data-testid="current-user">
            <Avatar size="small" icon={<UserOutlined />} style={{ background: '#ffffff33' }} />
            <span className="zz-user-name">{user!.displayName}</span>
            <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="current-role">
              {t(`role.${role}`)}
            </Tag>
            {user!.departmentCode && (
              <span className="zz-user-dept">{departmentName(user!.departmentCode)}</span>
            )}
            {user!.enterpriseName && <span className="zz-user-dept">{user!.enterpriseName}</span>}
          </Flex>
          <Button
            type="text"
            className="zz-header-button"
            icon={<LogoutOutlined />}
            onClick={async () => {
              await logout();
              navigate('/login', { replace: true });
            }}
            data-testid="logout"
          >
            {t('header.logout')}
          </Button>
        </Flex>
      </Header>
      <Layout>
        <Sider
          width={220}
          theme="light"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          className="zz-sider"
        >
          <Menu
            mode="inline"
            items={toAnt(menu)}
            selectedKeys={selected ? [selected.key] : []}
            openKeys={
              collapsed
                ? undefined
                : [...new Set([...openKeys, ...(selected ? (parentKeys(menu, selected.key) ?? []) : [])])]
            }
            onOpenChange={(keys) => setOpenKeys(keys)}
            style={{ borderInlineEnd: 0, paddingTop: 8 }}
            data-testid="side-menu"
          />
        </Sider>
        <Layout>
          <Content className="zz-content">
            {forbidden ? (
              <Result
                status="403"
                title="403"
                subTitle={t('common.forbidden')}
                extra={
                  <Button type="primary" onClick={() => navigate('/')}>
                    {t('common.backHome')}
                  </Button>
                }
              />
            ) : (
              <Suspense
                fallback={
                  <Flex justify="center" style={{ padding: 64 }}>
                    <Spin />
                  </Flex>
                }
              >
                <Outlet />
              </Suspense>
            )}
          </Content>
          <Footer className="zz-footer">
            <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
