/** 帮办代办 (issue 16 item 11): the consents an enterprise gives an agent, as GET /api/agency/consents sends them. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export type ConsentScope = 'register_project' | 'apply_stage';

export interface Consent {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  agentUserId: string;
  agentName: string;
  scopes: ConsentScope[];
  scopeNames: string[];
  validUntil: string;
  note: string | null;
  status: 'active' | 'expired' | 'revoked';
  statusName: string;
  grantedAt: string;
  grantedByName: string;
  revokedAt: string | null;
  revokedByName: string | null;
  revokeReason: string | null;
}

export interface Agent {
  id: string;
  displayName: string;
  departmentName: string | null;
}

export const agencyKeys = {
  consents: ['agency', 'consents'] as const,
  agents: ['agency', 'agents'] as const,
};

export function useConsents(enabled = true) {
  return useQuery({
    queryKey: agencyKeys.consents,
    queryFn: ({ signal }) => api.get<{ consents: Consent[] }>('/api/agency/consents', undefined, signal),
    select: (d) => d.consents,
    enabled,
  });
}

/** The enterprises that let this agent do `scope` now (for the agent's 建设单位 choice). */
export function consentingEnterprises(consents: Consent[] | undefined, scope: ConsentScope) {
  const seen = new Map<string, string>();
  for (const c of consents ?? [])
    if (c.status === 'active' && c.scopes.includes(scope)) seen.set(c.enterpriseId, c.enterpriseName);
  return [...seen].map(([id, name]) => ({ id, name }));
}
