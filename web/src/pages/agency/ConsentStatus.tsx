import { Tag } from 'antd';
import type { Consent } from './api';

/** The consent's state in words, with a colour that passes contrast on the default theme. */
export function ConsentStatusTag({ consent }: { consent: Consent }) {
  const color = consent.status === 'active' ? 'green' : consent.status === 'expired' ? 'default' : 'red';
  return (
    <Tag color={color} data-testid={`consent-status-${consent.id}`}>
      {consent.statusName}
    </Tag>
  );
}
