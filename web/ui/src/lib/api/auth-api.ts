import type { HttpClient } from './http-client';
import type { PasswordCheck, RegisterInput, SessionInfo, User } from './types';

export interface AuthApi {
  session(): Promise<SessionInfo>;
  register(input: RegisterInput): Promise<{ user: User; csrfToken: string }>;
  login(email: string, password: string): Promise<{ user: User; csrfToken: string }>;
  logout(): Promise<void>;
  /** The password policy's verdict on a new password (the server holds the dictionaries). */
  checkPassword(
    input: { password: string; email: string; name: string },
    signal?: AbortSignal,
  ): Promise<PasswordCheck>;
}

export function createAuthApi(http: HttpClient): AuthApi {
  return {
    session: () => http.get('/api/auth/session'),
    register: (input) => http.send('POST', '/api/auth/register', { json: input }),
    login: (email, password) => http.send('POST', '/api/auth/login', { json: { email, password } }),
    logout: () => http.send('POST', '/api/auth/logout'),
    checkPassword: (input, signal) =>
      http.send('POST', '/api/auth/password-check', { json: input, ...(signal && { signal }) }),
  };
}
