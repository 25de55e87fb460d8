import { describe, expect, it } from 'vitest';
import { mapPooled } from './map-pooled';

describe('mapPooled', () => {
  it('keeps the items’ order and never has more than `concurrency` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapPooled(
      Array.from({ length: 20 }, (_, i) => i),
      async (n) => {
        most = Math.max(most, ++inFlight);
        // Later items finish first: the order of the results must not follow the finishing order.
        await new Promise((resolve) => setTimeout(resolve, 20 - n));
        inFlight--;
        return n * 2;
      },
      3,
    );
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(most).toBe(3);
    expect(await mapPooled([], async () => 1, 3)).toEqual([]);
  });
});
