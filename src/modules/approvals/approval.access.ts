/**
 * Who may see a project and its applications: one rule, the projects module's (`visibleProject`), so
 * /api/projects/:id and /api/applications/:id answer the same for every role (department scope included).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../identity/identity.rules';
import { visibleProject } from '../projects/project.service';

type Db = Kysely<DB> | Transaction<DB>;

/** Refuses (404 / 403) or returns the project row as the projects module reads it. */
export function assertCanSeeProject(db: Db, actor: Actor, project: { id: string }) {
  return visibleProject(db, actor, project.id);
}
