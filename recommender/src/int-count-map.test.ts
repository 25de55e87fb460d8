import { describe, expect, it } from 'vitest';
import { IntCountMap } from './int-count-map';
import { createRandom } from '@market/demo/random';

describe('IntCountMap', () => {
  it('behaves like a Map of positive counts under random adds and removes', () => {
    const random = createRandom(7).next;
    const map = new IntCountMap();
    const reference = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      const key = Math.floor(random() * 300);
      if (random() < 0.05) {
        map.delete(key);
        reference.delete(key);
        continue;
      }
      const delta = random() < 0.4 ? -1 : 1 + Math.floor(random() * 3);
      const next = (reference.get(key) ?? 0) + delta;
      if (next > 0) reference.set(key, next);
      else reference.delete(key);
      expect(map.add(key, delta)).toBe(Math.max(0, next));
    }
    expect(map.size).toBe(reference.size);
    const entries: [number, number][] = [];
    map.forEach((key, count) => entries.push([key, count]));
    expect(entries.sort((a, b) => a[0] - b[0])).toEqual([...reference].sort((a, b) => a[0] - b[0]));
    for (let key = 0; key < 300; key++) expect(map.get(key)).toBe(reference.get(key) ?? 0);
  });

  it('keeps only what it is given on replaceWith', () => {
    const map = new IntCountMap();
    for (let key = 0; key < 100; key++) map.add(key, key + 1);
    map.replaceWith([
      [5, 6],
      [70, 71],
    ]);
    expect(map.size).toBe(2);
    expect(map.keysArray().sort((a, b) => a - b)).toEqual([5, 70]);
    expect(map.get(70)).toBe(71);
    expect(map.get(6)).toBe(0);
  });
});
