import { describe, expect, it } from 'vitest';
import { DecayedCounters, decayFactor, decayRate } from './decay';
import { createRandom } from '@market/demo/random';
import { HOUR, T0 } from './test-fixtures';

describe('forward-decayed counters', () => {
  it('halve after one half-life and quarter after two', () => {
    const counters = new DecayedCounters(6 * HOUR);
    counters.add(0, 8, T0);
    expect(counters.value(0, T0)).toBeCloseTo(8, 12);
    expect(counters.value(0, T0 + 6 * HOUR)).toBeCloseTo(4, 12);
    expect(counters.value(0, T0 + 12 * HOUR)).toBeCloseTo(2, 12);
  });

  it('give the same value whatever order events are added in, across landmark moves', () => {
    const rng = createRandom(7);
    // 40 days of events with a 1 h half-life: the landmark has to move several times (every ~92 h).
    const events = Array.from({ length: 2_000 }, (_, i) => ({
      index: i % 5,
      weight: 1 + (i % 4),
      at: T0 + Math.floor(rng.next() * 40 * 24 * HOUR),
    }));
    const now = T0 + 40 * 24 * HOUR;
    const inOrder = new DecayedCounters(HOUR);
    for (const e of [...events].sort((a, b) => a.at - b.at)) inOrder.add(e.index, e.weight, e.at);
    const anyOrder = new DecayedCounters(HOUR, 2);
    for (const e of rng.shuffled(events)) anyOrder.add(e.index, e.weight, e.at);
    for (let index = 0; index < 5; index++) {
      const expected = events
        .filter((e) => e.index === index)
        .reduce((sum, e) => sum + e.weight * decayFactor(decayRate(HOUR), e.at, now), 0);
      expect(inOrder.value(index, now)).toBeCloseTo(expected, 9);
      expect(anyOrder.value(index, now) / expected).toBeCloseTo(1, 12);
    }
  });

  it('rank by stored values the same way at any time', () => {
    const counters = new DecayedCounters(HOUR);
    counters.add(0, 10, T0);
    counters.add(1, 3, T0 + 2 * HOUR);
    // 10·2^-2 = 2.5 < 3 at T0 + 2 h, and it stays that way later: one read factor for all.
    for (const now of [T0 + 2 * HOUR, T0 + 50 * HOUR]) {
      expect(counters.value(1, now)).toBeGreaterThan(counters.value(0, now));
    }
    expect(counters.storedValue(1)).toBeGreaterThan(counters.storedValue(0));
  });

  it('reads zero for indexes never added and after clear', () => {
    const counters = new DecayedCounters(HOUR);
    expect(counters.value(3, T0)).toBe(0);
    counters.add(3, 1, T0);
    counters.clear(3);
    expect(counters.value(3, T0)).toBe(0);
  });
});
