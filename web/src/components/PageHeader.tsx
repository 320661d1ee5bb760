import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { useT } from '../i18n';

/** The title line of a page: optional back button, title, extra actions on the right. */
export function PageHeader({
  title,
  back,
  extra,
  subTitle,
}: {
  title: ReactNode;
  back?: string;
  extra?: ReactNode;
  subTitle?: ReactNode;
}) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Flex align="center" justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
      <Flex align="center" gap={12}>
        {back && (
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(back)} data-testid="page-back">
            {t('common.back')}
          </Button>
        )}
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
      </Flex>
      {extra}
    </Flex>
  );
}
