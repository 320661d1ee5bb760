/**
 * The session: loaded once from GET /api/auth/session (401 → logged out), replaced by the login answer,
 * cleared on logout or whenever any API call answers 401.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { ApiError, api, onUnauthorized, setCsrfToken } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { Role, Session, SessionUser } from '../api/types';

/** What a restricted session may still do: change its expired password, or enrol the second factor. */
export type SessionRestriction = 'password_change' | 'totp_enrolment';

/** The login / password / TOTP answers: a session, possibly restricted. */
export interface LoginAnswer extends Session {
  restriction: SessionRestriction | null;
}

interface AuthValue {
  user: SessionUser | null;
  loading: boolean;
  /**
   * Logs in. A restricted answer is not a session the app can use (every other route answers 401):
   * it is returned to the login page, which finishes it and then calls `complete`.
   */
  login: (username: string, password: string, totpCode?: string) => Promise<LoginAnswer>;
  /** Takes an unrestricted answer (after a password change or TOTP enrolment) as the session. */
  complete: (answer: LoginAnswer) => void;
  logout: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

async function fetchSession(signal: AbortSignal): Promise<Session | null> {
  try {
    return await api.get<Session>('/api/auth/session', undefined, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const session = useQuery({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Infinity,
    retry: false,
  });
  const data = session.data ?? null;

  useEffect(() => {
    setCsrfToken(data?.csrfToken ?? null);
  }, [data]);

  useEffect(() => {
    onUnauthorized(() => {
      setCsrfToken(null);
      client.setQueryData(queryKeys.session, null);
    });
    return () => onUnauthorized(null);
  }, [client]);

  const loginMutation = useMutation({
    mutationFn: (body: { username: string; password: string; totpCode?: string }) =>
      api.post<LoginAnswer>('/api/auth/login', body),
  });
  const logoutMutation = useMutation({ mutationFn: () => api.post<void>('/api/auth/logout') });

  const value = useMemo<AuthValue>(
    () => ({
      user: data?.user ?? null,
      loading: session.isPending,
      login: async (username, password, totpCode) => {
        const result = await loginMutation.mutateAsync({
          username,
          password,
          ...(totpCode ? { totpCode } : {}),
        });
        // The restricted session's own requests (change password, enrol) need its token as well.
        setCsrfToken(result.csrfToken);
        if (!result.restriction) {
          client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
          client.setQueryData(queryKeys.session, result);
        }
        return result;
      },
      complete: (answer) => {
        if (answer.restriction) return;
        setCsrfToken(answer.csrfToken);
        client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
        client.setQueryData(queryKeys.session, answer);
      },
      logout: async () => {
        try {
          await logoutMutation.mutateAsync();
        } catch {
          // the session may already be gone; log out locally anyway
        }
        setCsrfToken(null);
        client.setQueryData(queryKeys.session, null);
        client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      },
      hasRole: (...roles) => (data ? roles.includes(data.user.role) : false),
    }),
    [data, session.isPending, loginMutation, logoutMutation, client],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
