export { AuthProvider, useAuth } from './AuthContext';
export type { LoginAnswer, SessionRestriction } from './AuthContext';
export { RequireAuth } from './RequireAuth';
