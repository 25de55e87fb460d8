import { describe, expect, it } from 'vitest';
import { nextTotals, summaryOf } from './ratings';

describe('rating totals', () => {
  it('counts reviews in and out of the histogram, sum and count', () => {
    let totals = nextTotals(null, 5, 1);
    totals = nextTotals(totals, 4, 1);
    totals = nextTotals(totals, 4, 1);
    expect(totals).toEqual({ count: 3, sum: 13, c1: 0, c2: 0, c3: 0, c4: 2, c5: 1 });
    totals = nextTotals(totals, 5, -1);
    expect(totals).toEqual({ count: 2, sum: 8, c1: 0, c2: 0, c3: 0, c4: 2, c5: 0 });
  });

  it('rounds the average to one decimal and reports an empty product as 0', () => {
    const totals = [5, 4, 4].reduce((t, r) => nextTotals(t, r as 4 | 5, 1), nextTotals(null, 4, 1));
    expect(summaryOf(totals)).toEqual({
      average: 4.3, // 17 / 4 = 4.25, rounded half up
      count: 4,
      histogram: { '1': 0, '2': 0, '3': 0, '4': 3, '5': 1 },
    });
    expect(summaryOf(null)).toEqual({
      average: 0,
      count: 0,
      histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
  });
});
