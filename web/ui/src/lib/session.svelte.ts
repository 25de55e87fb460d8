import type { AuthApi, RegisterInput } from './api/auth-api';
import type { PasswordCheck, User } from './api/wire';

/** Who is logged in, and the CSRF token every non-GET request must carry. */
export class Session {
  user = $state<User | null>(null);
  ready = $state(false);
  readonly isSeller = $derived(this.user?.roles.includes('seller') ?? false);
  #csrfToken = '';
  /** Bumped by every call that changes who we are, so an older answer never overwrites a newer one. */
  #generation = 0;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, not rendered state
  readonly #userChanged = new Set<(user: User | null) => void>();

  constructor(private readonly auth: AuthApi) {}

  csrfToken(): string {
    return this.#csrfToken;
  }

  /** Boot and after logout: asks the server who we are. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const { user, csrfToken } = await this.auth.session();
      // A login that finished while we asked wins: the boot answer describes the cookie before it.
      if (generation !== this.#generation) return;
      this.#csrfToken = csrfToken;
      this.#setUser(user);
    } finally {
      this.ready = true;
    }
  }

  async login(email: string, password: string): Promise<User> {
    const { user, csrfToken } = await this.auth.login(email, password);
    this.#generation++;
    this.#csrfToken = csrfToken;
    this.#setUser(user);
    return user;
  }

  async loginWithPhone(phone: string, code: string): Promise<User> {
    const { user, csrfToken } = await this.auth.phoneLogin(phone, code);
    this.#generation++;
    this.#csrfToken = csrfToken;
    this.#setUser(user);
    return user;
  }

  async register(input: RegisterInput): Promise<User> {
    const { user, csrfToken } = await this.auth.register(input);
    this.#generation++;
    this.#csrfToken = csrfToken;
    this.#setUser(user);
    return user;
  }

  /** The signed-in person's account as the server answered a change to it (name, photo, phone…). */
  updateUser(user: User): void {
    if (this.user?.id === user.id) this.user = user;
  }

  async logout(): Promise<void> {
    await this.auth.logout();
    await this.refresh();
  }

  checkPassword(
    input: { password: string; email: string; name: string },
    signal?: AbortSignal,
  ): Promise<PasswordCheck> {
    return this.auth.checkPassword(input, signal);
  }

  /** Called when the identity changes, e.g. so the socket reconnects with the new session cookie. */
  onUserChanged(listener: (user: User | null) => void): () => void {
    this.#userChanged.add(listener);
    return () => this.#userChanged.delete(listener);
  }

  #setUser(user: User | null): void {
    const changed = this.user?.id !== user?.id;
    this.user = user;
    if (changed) for (const listener of this.#userChanged) listener(user);
  }
}
