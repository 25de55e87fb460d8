import type { ResolvedSession } from './service';

/**
 * Resolved sessions kept in memory for a few seconds, so a signed-in request does not read its session and
 * its user from the document store every time (two reads per request were the ceiling of a flash-sale
 * spike: ~500 answers/s). Correctness does not rest on the time limit: every way a session ends or a user
 * changes drops the entries it touches — on this process synchronously (the auth service calls `forget…`
 * before it answers), on the others when the `sessions.ended` / `user.changed` event arrives. The time
 * limit only bounds how long a lost event on another node could keep a stale entry.
 */
export class SessionCache {
  readonly #entries = new Map<string, { session: ResolvedSession; until: number }>();
  readonly #byUser = new Map<string, Set<string>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get(id: string, nowMs: number): ResolvedSession | null {
    const entry = this.#entries.get(id);
    if (!entry) return null;
    if (entry.until <= nowMs || entry.session.expiresAt.getTime() <= nowMs) {
      this.#drop(id, entry.session.user.id);
      return null;
    }
    return entry.session;
  }

  set(session: ResolvedSession, nowMs: number): void {
    if (!this.enabled) return;
    if (this.#entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the oldest entry goes first.
      const oldest = this.#entries.entries().next().value;
      if (oldest) this.#drop(oldest[0], oldest[1].session.user.id);
    }
    this.#entries.set(session.id, { session, until: nowMs + this.ttlMs });
    let ids = this.#byUser.get(session.user.id);
    if (!ids) this.#byUser.set(session.user.id, (ids = new Set()));
    ids.add(session.id);
  }

  /** Drops these sessions of a user, or (`null`) every session of the user except `keptId`. */
  forgetSessions(userId: string, sessionIds: string[] | null, keptId: string | null = null): void {
    const ids = sessionIds ?? [...(this.#byUser.get(userId) ?? [])].filter((id) => id !== keptId);
    for (const id of ids) this.#drop(id, userId);
  }

  /** Drops every session of a user whose facts (roles, block, name) changed. */
  forgetUser(userId: string): void {
    this.forgetSessions(userId, null);
  }

  #drop(id: string, userId: string): void {
    this.#entries.delete(id);
    const ids = this.#byUser.get(userId);
    ids?.delete(id);
    if (ids?.size === 0) this.#byUser.delete(userId);
  }
}
