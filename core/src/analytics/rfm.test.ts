import { describe, expect, it } from 'vitest';
import { addToCustomer, cellMoves, cohortMoves, type CustomerContribution } from './customers';
import {
  addMonths,
  frequencyScore,
  monetaryScore,
  monthsBetween,
  priceBandIndex,
  recencyScore,
  SEGMENTS,
  segmentOf,
} from './rfm';

const paid = (day: string, net: number, over: Partial<CustomerContribution> = {}): CustomerContribution => ({
  scope: 's',
  customer: 'u',
  orders: 1,
  net,
  units: 1,
  day,
  cats: [{ k: 'c1', label: 'Tea', n: [1, net] }],
  bands: [1, 0, 0, 0],
  ...over,
});

describe('RFM scores and segments', () => {
  it('score by the documented fixed bands, edges included', () => {
    expect([0, 30, 31, 90, 91, 180, 181, 365, 366].map(recencyScore)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1]);
    expect([0, 1, 2, 3, 4, 5, 9, 10].map(frequencyScore)).toEqual([1, 1, 2, 3, 3, 4, 4, 5]);
    expect([-500, 9_999, 10_000, 30_000, 99_999, 100_000, 300_000].map(monetaryScore)).toEqual([
      1, 1, 2, 3, 3, 4, 5,
    ]);
    expect([4_999, 5_000, 19_999, 20_000, 100_000].map(priceBandIndex)).toEqual([0, 1, 1, 2, 3]);
  });

  it('give every score a segment, by the rules in order', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(segmentOf(r, f, m));
    expect([...seen].sort()).toEqual([...SEGMENTS].sort());
    expect(segmentOf(5, 5, 5)).toBe('champions');
    expect(segmentOf(3, 2, 4)).toBe('loyal');
    expect(segmentOf(5, 1, 5)).toBe('new');
    expect(segmentOf(3, 1, 1)).toBe('potential_loyalists');
    expect(segmentOf(1, 4, 4)).toBe('cant_lose');
    expect(segmentOf(2, 2, 3)).toBe('at_risk');
    expect(segmentOf(2, 1, 1)).toBe('hibernating');
    expect(segmentOf(1, 3, 2)).toBe('lost');
  });

  it('count months across years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
  });
});

describe('customer state', () => {
  it('is the same whatever order the events arrive in, and its cell moves add up to its final share', () => {
    const events = [
      paid('2026-01-05', 20_000),
      paid('2026-03-09', 50_000),
      { ...paid('', -5_000), day: null, orders: 0, units: 0, cats: [], bands: [0, 0, 0, 0] },
    ];
    const forward = events.reduce(
      (s, c) => addToCustomer(s, c, 'g1|s'),
      null as ReturnType<typeof addToCustomer> | null,
    );
    const backward = [...events]
      .reverse()
      .reduce((s, c) => addToCustomer(s, c, 'g1|s'), null as ReturnType<typeof addToCustomer> | null);
    expect(backward).toEqual(forward);
    expect(forward).toMatchObject({
      orders: 2,
      net: 65_000,
      first: '2026-01-05',
      last: '2026-03-09',
      months: ['2026-01', '2026-03'],
      f: 2,
      m: 3,
    });

    // Moving step by step leaves exactly the final state's rows in its last day, nothing elsewhere.
    const cells = new Map<string, Map<string, number[]>>();
    const cohorts = new Map<string, { size: number; active: number[] }>();
    let state: ReturnType<typeof addToCustomer> | null = null;
    for (const c of events) {
      const next = addToCustomer(state, c, 'g1|s');
      for (const [day, rows] of cellMoves(state, next)) {
        const have = cells.get(day) ?? new Map<string, number[]>();
        for (const row of rows.sums) {
          const sum = have.get(row.k) ?? new Array<number>(row.n.length).fill(0);
          have.set(
            row.k,
            sum.map((v, i) => v + row.n[i]!),
          );
        }
        cells.set(day, have);
      }
      for (const [month, move] of cohortMoves(state, next)) {
        const have = cohorts.get(month) ?? { size: 0, active: new Array<number>(12).fill(0) };
        have.size += move.size;
        move.active.forEach((v, i) => (have.active[i]! += v));
        cohorts.set(month, have);
      }
      state = next;
    }
    const nonZero = [...cells].flatMap(([day, rows]) =>
      [...rows].filter(([, n]) => n.some((v) => v !== 0)).map(([k, n]) => [day, k, n]),
    );
    expect(nonZero).toEqual([['2026-03-09', '2|3', [1, 2, 65_000, 2, 2, 0, 0, 0]]]);
    expect(cohorts.get('2026-01')).toEqual({ size: 1, active: [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });
});
