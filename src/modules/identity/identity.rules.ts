/**
 * Identity rules: roles, who may act where, enterprise credit codes. Pure. (Passwords, the second
 * factor and login throttling: password-policy.rules.ts.)
 */
import { z } from 'zod';

export const roles = [
  'applicant',
  'window',
  'reviewer',
  'senior',
  'head',
  'coordinator',
  'supervisor',
  'agent',
  'admin',
  /** 中介机构 (issue 13): acts for its own organisation, like an applicant. */
  'intermediary',
] as const;
export const RoleSchema = z.enum(roles).describe('角色 role');
export type Role = z.infer<typeof RoleSchema>;

/** Who is acting: what every service receives instead of a raw user row. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  departmentCode: string | null;
  enterpriseId: string | null;
  /** Issue 15: the district of district staff; null or absent = city level (sees every district). */
  districtCode?: string | null;
}

/** Staff roles tied to one department; their reach stops at its border (department scope). */
export const departmentScopedRoles: readonly Role[] = ['reviewer', 'senior', 'head', 'coordinator'];

/** Staff of this department (reviewer, senior, head 负责人, coordinator): they see its tasks and materials. */
export function isStaffOf(actor: Actor, departmentCode: string): boolean {
  return departmentScopedRoles.includes(actor.role) && actor.departmentCode === departmentCode;
}

/** A reviewer (初核) or senior (复核) of this department: they decide its tasks and inspections. */
export function reviewsFor(actor: Actor, departmentCode: string): boolean {
  return (actor.role === 'reviewer' || actor.role === 'senior') && actor.departmentCode === departmentCode;
}

/**
 * The district a member of staff is confined to (issue 15/16): district staff (window, supervisor,
 * departments) work on their district's projects only; city staff and administrators (null) on all.
 */
export function districtOf(actor: Actor): string | null {
  if (actor.role === 'admin') return null;
  return actor.districtCode ?? null;
}

// GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, Z, S, V); the last is a
// check character computed with weights 3^i mod 31.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
