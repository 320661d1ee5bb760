/**
 * The people and departments joint records name, through identity's service: the joint repository
 * reads no user or department table. Display names for the lists, and whom to notify.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { departmentNamesOf, displayNamesOf, userIdsOf } from '../identity/identity.service';

type Db = Kysely<DB> | Transaction<DB>;

/** Each row with the display name of the user it names in `field` (null when it names nobody). */
export async function withUserNames<R, F extends string>(
  db: Db,
  rows: readonly R[],
  userOf: (row: R) => string | null,
  field: F,
): Promise<(R & Record<F, string | null>)[]> {
  const ids = rows.map(userOf).filter((id): id is string => id !== null);
  const names = await displayNamesOf(db, ids);
  return rows.map((r) => {
    const id = userOf(r);
    return { ...r, [field]: id === null ? null : (names.get(id) ?? '') } as R & Record<F, string | null>;
  });
}

export { departmentNamesOf };

export const staffOf = (db: Db, departmentCode: string) => userIdsOf(db, { departmentCode });
export const peopleOfEnterprise = (db: Db, enterpriseId: string) => userIdsOf(db, { enterpriseId });
export const supervisors = (db: Db) => userIdsOf(db, { role: 'supervisor' });
