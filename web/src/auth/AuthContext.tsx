/**
 * The session: loaded once from GET /api/auth/session (401 → logged out), replaced by the login answer,
 * cleared on logout or whenever any API call answers 401.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { ApiError, api, onUnauthorized, setCsrfToken } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { Role, Session, SessionUser } from '../api/types';

interface AuthValue {
  user: SessionUser | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<SessionUser>;
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
    mutationFn: (body: { username: string; password: string }) => api.post<Session>('/api/auth/login', body),
  });
  const logoutMutation = useMutation({ mutationFn: () => api.post<void>('/api/auth/logout') });

  const value = useMemo<AuthValue>(
    () => ({
      user: data?.user ?? null,
      loading: session.isPending,
      login: async (username, password) => {
        const result = await loginMutation.mutateAsync({ username, password });
        setCsrfToken(result.csrfToken);
        client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
        client.setQueryData(queryKeys.session, result);
        return result.user;
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
