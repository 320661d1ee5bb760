/**
 * The bell in the header: the unread count, the newest notifications, and a link from each to the page
 * where the user acts on it (the task, the application at the window, the project, the 督办 orders).
 */
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { apiRequest } from '../api/client';
import type { Role } from '../api/types';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/time';

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  objectType: string;
  objectId: string;
  projectId: string | null;
  createdAt: string;
  readAt: string | null;
}

const SHOWN = 20;
const STAFF_TASK_ROLES: readonly Role[] = ['reviewer', 'senior', 'head', 'coordinator', 'supervisor'];

/** Where a notification takes its reader, by what it concerns and who reads it; null: nowhere to go. */
export function notificationLink(n: AppNotification, role: Role): string | null {
  const project = n.projectId ? `/projects/${n.projectId}` : null;
  switch (n.objectType) {
    case 'item_task':
      return STAFF_TASK_ROLES.includes(role) ? `/review/tasks/${n.objectId}` : project;
    case 'stage_application':
      return role === 'window' ? `/window/applications/${n.objectId}` : project;
    case 'supervision_order':
      return role === 'supervisor' ? '/supervision' : '/orders';
    default:
      return project;
  }
}

export function NotificationBell({ role }: { role: Role }) {
  const t = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const { data } = useQuery({
    queryKey: ['notifications'],
    queryFn: ({ signal }) =>
      apiRequest<{ notifications: AppNotification[]; unreadCount: number }>('/api/notifications', {
        signal,
      }),
    refetchInterval: 60_000,
  });
  const read = useMutation({
    mutationFn: (id: string) => apiRequest(`/api/notifications/${id}/read`, { method: 'POST', body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const unread = data?.unreadCount ?? 0;
  const items = (data?.notifications ?? []).slice(0, SHOWN);

  const openOne = (n: AppNotification) => {
    if (!n.readAt) read.mutate(n.id);
    const link = notificationLink(n, role);
    setOpen(false);
    if (link) navigate(link);
  };

  const content = (
    <div
      style={{ width: 'min(360px, 86vw)', maxHeight: 420, overflowY: 'auto' }}
      data-testid="notification-list"
    >
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('header.noNotifications')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              onClick={() => openOne(n)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') openOne(n);
              }}
              tabIndex={0}
              role="button"
              style={{ cursor: 'pointer', background: n.readAt ? undefined : '#e6f4ff', paddingInline: 8 }}
              data-testid="notification-item"
            >
              <List.Item.Meta
                title={
                  <Typography.Text strong={!n.readAt} style={{ fontSize: 13 }}>
                    {n.title}
                  </Typography.Text>
                }
                description={
                  <>
                    <div style={{ fontSize: 12, color: '#434343' }}>{n.body}</div>
                    <div style={{ fontSize: 12, color: '#595959' }}>{formatDateTime(n.createdAt)}</div>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={t('header.notifications')}
      content={content}
    >
      <Badge count={unread} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button
          type="text"
          className="zz-header-button"
          icon={<BellOutlined />}
          aria-label={`${t('header.notifications')}${unread > 0 ? `（${unread}）` : ''}`}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}
