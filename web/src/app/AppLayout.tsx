import {
  BankOutlined,
  LogoutOutlined,
  MenuOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import {
  Avatar,
  Button,
  Drawer,
  Flex,
  Grid,
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
import { NotificationBell } from '../components/NotificationBell';
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
  // On a phone (below AntD's md, 768 px) the side menu becomes a drawer opened from the header.
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);

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

  const sideMenu = (
    <Menu
      mode="inline"
      items={toAnt(menu)}
      selectedKeys={selected ? [selected.key] : []}
      openKeys={
        collapsed && !phone
          ? undefined
          : [...new Set([...openKeys, ...(selected ? (parentKeys(menu, selected.key) ?? []) : [])])]
      }
      onOpenChange={(keys) => setOpenKeys(keys)}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 0, paddingTop: 8 }}
      data-testid="side-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header className={phone ? 'zz-header zz-header-phone' : 'zz-header'} role="banner">
        {phone && (
          <Button
            type="text"
            className="zz-header-button"
            icon={<MenuOutlined />}
            aria-label={t('header.menu')}
            onClick={() => setDrawerOpen(true)}
            data-testid="menu-toggle"
          />
        )}
        <Link to="/" className="zz-brand" data-testid="app-title">
          <span className="zz-emblem">
            <BankOutlined />
          </span>
          <span className="zz-brand-text">{phone ? t('app.shortTitle') : t('app.title')}</span>
        </Link>
        <Flex align="center" gap={phone ? 4 : 16} className="zz-header-right">
          <NotificationBell role={role} />
          <Tooltip title={t('common.language')}>
            <Button
              type="text"
              className="zz-header-button"
              icon={<TranslationOutlined />}
              onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
              // The visible text names the button; the icon-only phone button needs a name of its own.
              aria-label={phone ? t('common.language') : undefined}
              data-testid="lang-switch"
            >
              {!phone && t('header.switchLanguage')}
            </Button>
          </Tooltip>
          <Flex align="center" gap={8} data-testid="current-user">
            <Avatar size="small" icon={<UserOutlined />} style={{ background: '#ffffff33' }} />
            {!phone && <span className="zz-user-name">{user!.displayName}</span>}
            <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="current-role">
              {t(`role.${role}`)}
            </Tag>
            {!phone && user!.departmentCode && (
              <span className="zz-user-dept">{departmentName(user!.departmentCode)}</span>
            )}
            {!phone && user!.enterpriseName && <span className="zz-user-dept">{user!.enterpriseName}</span>}
          </Flex>
          <Button
            type="text"
            className="zz-header-button"
            icon={<LogoutOutlined />}
            aria-label={t('header.logout')}
            onClick={async () => {
              await logout();
              navigate('/login', { replace: true });
            }}
            data-testid="logout"
          >
            {!phone && t('header.logout')}
          </Button>
        </Flex>
      </Header>
      <Layout>
        {phone ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            width={260}
            title={user!.displayName}
            styles={{ body: { padding: 0 } }}
          >
            <nav aria-label={t('header.menu')}>{sideMenu}</nav>
          </Drawer>
        ) : (
          <Sider
            width={220}
            theme="light"
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            className="zz-sider"
          >
            <nav aria-label={t('header.menu')}>{sideMenu}</nav>
          </Sider>
        )}
        <Layout>
          <Content className={phone ? 'zz-content zz-content-phone' : 'zz-content'} role="main">
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
          <Footer className="zz-footer" role="contentinfo">
            <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
