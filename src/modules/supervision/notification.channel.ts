/**
 * Where notifications go (task 40: 跟踪督办 reaches the people who must act). In-app is implemented;
 * SMS and e-mail gateways plug in by implementing the same interface and being added to the list.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import * as repo from './supervision.repository';

export interface OutgoingNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  objectType: string;
  objectId: string;
}

export interface NotificationChannel {
  readonly name: string;
  /** Called inside the transaction of the state change: the in-app row lands with it. */
  send(trx: Transaction<DB>, at: Date, messages: readonly OutgoingNotification[]): Promise<void>;
}

export const inAppChannel: NotificationChannel = {
  name: 'in-app',
  send: (trx, at, messages) =>
    repo.insertNotifications(
      trx,
      messages.map((m) => ({ ...m, createdAt: at, readAt: null })),
    ),
};

/**
 * An adapter for an external gateway (短信 / 邮件): it only queues the text for a sender function, which
 * a deployment provides (e.g. a pg-boss job posting to the gateway after commit).
 */
export function gatewayChannel(
  name: 'sms' | 'email',
  deliver: (m: OutgoingNotification) => Promise<void>,
): NotificationChannel {
  return {
    name,
    async send(_trx, _at, messages) {
      for (const m of messages) await deliver(m);
    },
  };
}

export const notificationChannels: NotificationChannel[] = [inAppChannel];

export async function notify(trx: Transaction<DB>, at: Date, messages: readonly OutgoingNotification[]) {
  if (messages.length === 0) return;
  for (const channel of notificationChannels) await channel.send(trx, at, messages);
}
