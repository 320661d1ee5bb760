/**
 * 帮办代办 consent rules (issue 16 item 11). Pure: what a consent allows on a given Beijing day.
 * A consent is active from the moment it is given through its last day, unless the enterprise revoked it
 * (or gave a new one to the same agent, which supersedes it).
 */

/** What an enterprise lets an agent do for it. */
export const consentScopes = ['register_project', 'apply_stage'] as const;
export type ConsentScope = (typeof consentScopes)[number];

export const scopeNames: Record<ConsentScope, string> = {
  register_project: '登记项目',
  apply_stage: '阶段申报',
};

export type ConsentStatus = 'active' | 'expired' | 'revoked';

export const statusNames: Record<ConsentStatus, string> = {
  active: '有效',
  expired: '已到期',
  revoked: '已撤销',
};

export interface ConsentFacts {
  mayRegisterProject: boolean;
  mayApplyStage: boolean;
  validUntil: string;
  revokedAt: Date | null;
}

/** `today` is the Beijing date YYYY-MM-DD; the consent's last day still counts. */
export function consentStatus(c: ConsentFacts, today: string): ConsentStatus {
  if (c.revokedAt) return 'revoked';
  return c.validUntil >= today ? 'active' : 'expired';
}

export function scopesOf(c: Pick<ConsentFacts, 'mayRegisterProject' | 'mayApplyStage'>): ConsentScope[] {
  return consentScopes.filter((s) => (s === 'register_project' ? c.mayRegisterProject : c.mayApplyStage));
}

export function covers(c: ConsentFacts, scope: ConsentScope, today: string): boolean {
  return consentStatus(c, today) === 'active' && scopesOf(c).includes(scope);
}

/**
 * Why the agent may not act (Chinese, for the 403), or null when one of the consents covers it. The
 * reason tells the agent what to ask the enterprise for: a consent, a wider one, or a renewed one.
 */
export function refusal(
  consents: ConsentFacts[],
  scope: ConsentScope,
  today: string,
  enterpriseName: string,
): string | null {
  if (consents.some((c) => covers(c, scope, today))) return null;
  const what = scopeNames[scope];
  if (consents.length === 0) return `${enterpriseName} 未委托您代办（${what}），请先请企业在“委托代办”中授权`;
  const standing = consents.filter((c) => consentStatus(c, today) === 'active');
  if (standing.length > 0) return `${enterpriseName} 的委托不包括${what}，请企业扩大委托范围`;
  if (consents.some((c) => consentStatus(c, today) === 'expired' && !c.revokedAt))
    return `${enterpriseName} 的委托已到期，请企业重新授权`;
  return `${enterpriseName} 已撤销对您的委托`;
}
