import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { AccountAccess, SearchableUser, UserService } from '../users';
import { UserSearchIndex, type UserSearchFilter } from './user-search-index';

/**
 * Finding people in the back office: the in-memory prefix index (`user-search-index.ts`) loaded from the
 * users collection at start and kept current by `user.changed` events (every process keeps its own copy:
 * with several app nodes the Redis event bus carries the events to each, as for the listing index).
 */
export function createUserDirectory(deps: {
  users: Pick<UserService, 'searchableFacts' | 'searchableFactsOf' | 'accessOf'>;
  bus: EventBus;
  log: Logger;
}) {
  const index = new UserSearchIndex();
  let loaded = false;
  // Changes that arrive while the index loads are applied after it, so none is lost.
  const pending = new Set<string>();
  let flushing: Promise<void> | null = null;

  async function refresh(userId: string): Promise<void> {
    index.upsert(userId, await deps.users.searchableFactsOf(userId));
  }

  function schedule(userId: string): void {
    pending.add(userId);
    if (!loaded) return;
    flushing ??= (async () => {
      while (pending.size) {
        const batch = [...pending];
        pending.clear();
        for (const id of batch)
          await refresh(id).catch((err: unknown) =>
            deps.log.error({ err, userId: id }, 'user index refresh failed'),
          );
      }
      flushing = null;
    })();
  }

  return {
    /** Follows user changes; call before `load` so nothing between the two is missed. */
    start(): () => void {
      return deps.bus.subscribe('user.changed', (e) => schedule(e.userId));
    },

    /** Reads every account into the index. Returns how many. */
    async load(): Promise<number> {
      const all = [];
      for await (const batch of deps.users.searchableFacts()) all.push(...batch);
      index.reset(all);
      loaded = true;
      for (const id of [...pending]) schedule(id);
      return index.size;
    },

    /** Resolves when every change heard so far is in the index. */
    async settled(): Promise<void> {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (flushing) await flushing;
    },

    get size(): number {
      return index.size;
    },

    /**
     * A page of accounts whose email, id, name, a word of the name or phone starts with `query`. Rows
     * come from the index; only blocked accounts are read from the store (for who blocked them and why).
     */
    async search(
      query: string,
      filter: UserSearchFilter,
      page: { limit: number; cursor?: string | null },
    ): Promise<{ items: AccountAccess[]; nextCursor: string | null }> {
      const found = index.search(query, filter, page);
      const facts = found.ids.map((id) => index.facts(id)).filter((f): f is SearchableUser => !!f);
      const blocked = await deps.users.accessOf(facts.filter((f) => f.blocked).map((f) => f.id));
      return {
        items: facts.map((f) => blocked.get(f.id) ?? { ...f, blocked: null }),
        nextCursor: found.nextCursor,
      };
    },

    /** Ids only, for callers that need no account documents (the benchmark's paging walk). */
    searchIds(query: string, filter: UserSearchFilter, page: { limit: number; cursor?: string | null }) {
      return index.search(query, filter, page);
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
