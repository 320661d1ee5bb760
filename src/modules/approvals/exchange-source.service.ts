/**
 * What the provincial exchange (src/modules/exchange) reads of item tasks: plain rows, no access check
 * (the exchange runs as the system). Read-only; kept in its own file so approvals' use cases stay untouched.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import * as taskRepo from './task.repository';

type Db = Kysely<DB> | Transaction<DB>;

export const taskRecord = (db: Db, id: string) => taskRepo.findTask(db, id);
export const applicationTaskRecords = (db: Db, applicationId: string) =>
  taskRepo.listApplicationTasks(db, applicationId);
