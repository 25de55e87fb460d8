/**
 * The live view of a scope (a shop, or the platform): visitors in the last five minutes, paid orders per
 * minute over the last hour, and the latest paid orders. Kept in each process's memory from two bus
 * events (`analytics.live_order`, `analytics.visitors`) that the process applying an order event or an
 * interaction page publishes once for the cluster, so every node answers the same. Nothing is read from
 * the store: a node started less than an hour ago shows what happened since it started.
 */
export interface LiveOrder {
  orderId: string;
  shopName: string;
  total: number;
  units: number;
  city: string;
  at: string;
}

export interface LiveSnapshot {
  visitors: number;
  /** Oldest first, one per minute of the last `minutes`, zeros included. */
  perMinute: Array<{ minute: string; orders: number; paid: number }>;
  /** Newest first. */
  feed: LiveOrder[];
}

const MINUTE_MS = 60_000;

interface ScopeState {
  /** Actor → when last seen (epoch ms). */
  visitors: Map<string, number>;
  /** Minute (epoch ms, floored) → orders and paid total. */
  minutes: Map<number, { orders: number; paid: number }>;
  feed: LiveOrder[];
  /** Orders counted in `minutes`, with their minute: a redelivered event within the hour counts once. */
  counted: Map<string, number>;
}

export function createLiveView(deps: {
  now: () => Date;
  visitorWindowMs?: number;
  minutes?: number;
  feedSize?: number;
}) {
  const visitorWindowMs = deps.visitorWindowMs ?? 5 * MINUTE_MS;
  const minutes = deps.minutes ?? 60;
  const feedSize = deps.feedSize ?? 20;
  const scopes = new Map<string, ScopeState>();

  function stateOf(scope: string): ScopeState {
    let state = scopes.get(scope);
    if (!state) {
      state = { visitors: new Map(), minutes: new Map(), feed: [], counted: new Map() };
      scopes.set(scope, state);
    }
    return state;
  }

  function prune(state: ScopeState, nowMs: number): void {
    for (const [actor, seen] of state.visitors)
      if (nowMs - seen > visitorWindowMs) state.visitors.delete(actor);
    const oldest = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
    for (const minute of state.minutes.keys()) if (minute < oldest) state.minutes.delete(minute);
    for (const [orderId, minute] of state.counted) if (minute < oldest) state.counted.delete(orderId);
  }

  return {
    /** A paid order, for its shop and the platform; an order already counted this hour is not counted again. */
    recordOrder(scopeIds: string[], order: LiveOrder): void {
      const at = Date.parse(order.at);
      const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
      for (const scope of scopeIds) {
        const state = stateOf(scope);
        if (state.counted.has(order.orderId)) continue;
        state.counted.set(order.orderId, minute);
        const bucket = state.minutes.get(minute) ?? { orders: 0, paid: 0 };
        bucket.orders += 1;
        bucket.paid += order.total;
        state.minutes.set(minute, bucket);
        state.feed.unshift(order);
        state.feed.length = Math.min(state.feed.length, feedSize);
        prune(state, deps.now().getTime());
      }
    },

    recordVisitors(scope: string, actors: string[], at: Date): void {
      const state = stateOf(scope);
      const seen = at.getTime();
      for (const actor of actors) state.visitors.set(actor, Math.max(seen, state.visitors.get(actor) ?? 0));
      // Bounded between snapshots too: a busy platform sees many visitors and few readers.
      if (state.visitors.size > 10_000) prune(state, deps.now().getTime());
    },

    snapshot(scope: string): LiveSnapshot {
      const nowMs = deps.now().getTime();
      const state = stateOf(scope);
      prune(state, nowMs);
      const current = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
      const perMinute = Array.from({ length: minutes }, (_, i) => {
        const minute = current - (minutes - 1 - i) * MINUTE_MS;
        const bucket = state.minutes.get(minute);
        return {
          minute: new Date(minute).toISOString(),
          orders: bucket?.orders ?? 0,
          paid: bucket?.paid ?? 0,
        };
      });
      return { visitors: state.visitors.size, perMinute, feed: [...state.feed] };
    },
  };
}

export type LiveView = ReturnType<typeof createLiveView>;
