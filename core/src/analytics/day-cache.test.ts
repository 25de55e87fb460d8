import { describe, expect, it } from 'vitest';
import { createDayCache } from './day-cache';
import type { RollupEntry } from './model';

const entry = (paid: number) => ({ totals: { paid } }) as unknown as RollupEntry;

describe('settled-day cache', () => {
  it('reads a day once, and again after that day is forgotten', async () => {
    const cache = createDayCache({ limit: 10, maxAgeMs: 60_000, now: () => 0 });
    let reads = 0;
    const read = async () => entry(++reads);
    expect((await cache.get('g1|shop|2026-01-01|totals', 'shop', '2026-01-01', read))?.totals).toEqual({
      paid: 1,
    });
    expect((await cache.get('g1|shop|2026-01-01|totals', 'shop', '2026-01-01', read))?.totals).toEqual({
      paid: 1,
    });
    // Another scope's day, and another day of the scope, stay.
    await cache.get('g1|other|2026-01-01|totals', 'other', '2026-01-01', read);
    await cache.get('g1|shop|2026-01-02|totals', 'shop', '2026-01-02', read);
    cache.forget('shop', '2026-01-01');
    expect(cache.size).toBe(2);
    expect((await cache.get('g1|shop|2026-01-01|totals', 'shop', '2026-01-01', read))?.totals).toEqual({
      paid: 4,
    });
    expect(reads).toBe(4);
  });

  it('does not keep an answer read before the day was forgotten', async () => {
    const cache = createDayCache({ limit: 10, maxAgeMs: 60_000, now: () => 0 });
    let release!: () => void;
    const slow = cache.get(
      'g1|shop|2026-01-01|products',
      'shop',
      '2026-01-01',
      () => new Promise<RollupEntry>((resolve) => (release = () => resolve(entry(1)))),
    );
    cache.forget('shop', '2026-01-01');
    release();
    expect((await slow)?.totals).toEqual({ paid: 1 });
    expect(cache.size).toBe(0);
  });

  it('keeps at most `limit` entries, dropping the least recently used, and none past its age', async () => {
    let now = 0;
    const cache = createDayCache({ limit: 2, maxAgeMs: 1_000, now: () => now });
    let reads = 0;
    const read = async () => entry(++reads);
    await cache.get('g1|s|2026-01-01|totals', 's', '2026-01-01', read);
    await cache.get('g1|s|2026-01-02|totals', 's', '2026-01-02', read);
    await cache.get('g1|s|2026-01-01|totals', 's', '2026-01-01', read); // a hit: now the most recent
    await cache.get('g1|s|2026-01-03|totals', 's', '2026-01-03', read); // drops 01-02
    expect(reads).toBe(3);
    await cache.get('g1|s|2026-01-01|totals', 's', '2026-01-01', read);
    expect(reads).toBe(3);
    await cache.get('g1|s|2026-01-02|totals', 's', '2026-01-02', read);
    expect(reads).toBe(4);
    now = 1_000;
    await cache.get('g1|s|2026-01-02|totals', 's', '2026-01-02', read);
    expect(reads).toBe(5);
  });
});
