import { describe, expect, it } from 'vitest';
import { createLiveView, type LiveOrder } from './live';

const T0 = Date.parse('2026-12-07T10:00:30Z');
const order = (n: number, at: number): LiveOrder => ({
  orderId: `ord_${n}`,
  shopName: 'Shop',
  total: 100 * n,
  units: 1,
  city: '上海',
  at: new Date(at).toISOString(),
});

describe('live view', () => {
  it('counts a redelivered order once, even after it left the feed, and keeps scopes apart', () => {
    let now = T0;
    const live = createLiveView({ now: () => new Date(now), feedSize: 2 });
    for (const n of [1, 2, 3]) live.recordOrder(['usr_a', 'platform'], order(n, T0));
    live.recordOrder(['usr_a', 'platform'], order(1, T0)); // the bus delivered it again
    const a = live.snapshot('usr_a');
    expect(a.feed.map((o) => o.orderId)).toEqual(['ord_3', 'ord_2']);
    expect(a.perMinute.at(-1)).toEqual({ minute: '2026-12-07T10:00:00.000Z', orders: 3, paid: 600 });
    expect(live.snapshot('usr_b').perMinute.every((m) => m.orders === 0)).toBe(true);

    // An hour on, the minute has left the window and so has the order's mark.
    now = T0 + 60 * 60_000;
    expect(live.snapshot('usr_a').perMinute.every((m) => m.orders === 0)).toBe(true);
  });

  it('counts visitors seen in the last five minutes, each once', () => {
    let now = T0;
    const live = createLiveView({ now: () => new Date(now) });
    live.recordVisitors('platform', ['anon_1', 'usr_1'], new Date(T0));
    live.recordVisitors('platform', ['usr_1'], new Date(T0 + 60_000));
    expect(live.snapshot('platform').visitors).toBe(2);
    now = T0 + 5 * 60_000 + 1;
    expect(live.snapshot('platform').visitors).toBe(1);
    now = T0 + 6 * 60_000 + 1;
    expect(live.snapshot('platform').visitors).toBe(0);
  });
});
