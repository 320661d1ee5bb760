import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router-dom';
import { ApiError } from '../api/client';
import { AuthProvider } from '../auth';
import { I18nProvider, useI18n } from '../i18n';
import { createRouter } from './router';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        staleTime: 30_000,
        // 4xx answers are final; retry network / server trouble twice.
        retry: (count, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
}

function Themed() {
  const { lang } = useI18n();
  const [router] = useState(createRouter);
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = lang;
    document.title =
      lang === 'en' ? 'Zhengzhou Construction Project Approval' : '郑州市工程建设项目审批管理系统';
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#1a56a8',
          // WCAG 2.1 AA (axe in e2e/a11y.e2e.test.ts): antd's defaults (45 % black, link #1677ff) fall under 4.5 : 1
          // on white, and its runtime styles win over a stylesheet, so the contrast is set here, in the theme.
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
          colorLink: '#0958d9',
          colorError: '#cf1322',
          borderRadius: 4,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
        },
        components: {
          Layout: { headerBg: '#0d3f86', headerHeight: 60, headerPadding: '0 24px', bodyBg: '#f0f2f5' },
        },
      }}
    >
      <AntApp>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <Themed />
      </I18nProvider>
    </QueryClientProvider>
  );
}
