import type { HttpClient } from './http-client';
import type { PasswordCheck, SessionInfo, User } from './wire';

/**
 * The registration form's body. Its schema still lives in web/src/routes/auth.ts, which the app cannot
 * import without the server; the server validates it (422 naming the field) whatever the app sends.
 */
export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  role: 'shopper' | 'seller';
  shopName?: string;
  locale?: 'zh' | 'en';
  /** An invite code (`/register?invite=CODE`); the server answers 422 naming `invite` if it is unknown. */
  invite?: string;
}

export interface AuthApi {
  session(): Promise<SessionInfo>;
  register(input: RegisterInput): Promise<{ user: User; csrfToken: string }>;
  login(email: string, password: string): Promise<{ user: User; csrfToken: string }>;
  logout(): Promise<void>;
  /** Logs in with a phone number and the code texted to it. */
  phoneLogin(phone: string, code: string): Promise<{ user: User; csrfToken: string }>;
  /** The password policy's verdict on a new password (the server holds the dictionaries). */
  checkPassword(
    input: { password: string; email: string; name: string },
    signal?: AbortSignal,
  ): Promise<PasswordCheck>;
}

/** Login and registration answer with the session they started (the shared Session schema's user is nullable). */
function signedIn(session: SessionInfo): { user: User; csrfToken: string } {
  if (!session.user) throw new Error('The server answered a login without a user');
  return { user: session.user, csrfToken: session.csrfToken };
}

export function createAuthApi(http: HttpClient): AuthApi {
  return {
    session: () => http.get('/api/auth/session'),
    register: async (input) => signedIn(await http.send('POST', '/api/auth/register', { json: input })),
    login: async (email, password) =>
      signedIn(await http.send('POST', '/api/auth/login', { json: { email, password } })),
    phoneLogin: async (phone, code) =>
      signedIn(await http.send('POST', '/api/auth/phone-login', { json: { phone, code } })),
    logout: async () => {
      await http.send('POST', '/api/auth/logout');
    },
    checkPassword: (input, signal) =>
      http.send('POST', '/api/auth/password-check', { json: input, ...(signal && { signal }) }),
  };
}
