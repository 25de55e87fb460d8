export { createAuthService, type AuthService, type ResolvedSession } from './service';
