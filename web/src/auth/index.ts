export { AuthProvider, useAuth } from './AuthContext';
export { RequireAuth } from './RequireAuth';
