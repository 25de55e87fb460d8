import { describe, expect, it } from 'vitest';
import type { Interaction, InteractionType } from '../src/index';
import { sortByTime, type EvalDataset } from './dataset';
import { globalTimeCut, perUserLastPositives, sampleCases } from './split';

const ev = (actorId: string, itemId: string, type: InteractionType, at: number): Interaction => ({
  actorId,
  itemId,
  type,
  at,
});

function dataset(events: Interaction[]): EvalDataset {
  return {
    name: 'tiny',
    description: '',
    items: [],
    events: sortByTime(events),
    isPositive: (e) => e.type === 'purchase',
    options: {},
  };
}

describe('globalTimeCut', () => {
  const log = dataset([
    ev('a', 'i1', 'purchase', 1),
    ev('b', 'i2', 'purchase', 2),
    ev('a', 'i3', 'view', 3),
    ev('a', 'i2', 'purchase', 4),
    ev('b', 'i2', 'purchase', 5), // bought again: already in b's history, not relevant
    ev('a', 'i3', 'purchase', 6), // viewed before the cut: not relevant
    ev('a', 'i4', 'purchase', 7),
    ev('c', 'i1', 'purchase', 8), // no history before the cut: not evaluated
  ]);

  it('puts the last share of positives after one cut and keeps only new items as relevant', () => {
    // Seven positives, 40% test: the cut is the fifth positive (index floor(7 × 0.6) = 4), at time 6.
    const cases = globalTimeCut(log, 0.4);
    expect(cases).toHaveLength(1);
    const [a] = cases;
    expect(a!.actorId).toBe('a');
    expect(a!.at).toBe(6);
    expect(a!.seq).toBe(5);
    expect([...a!.relevant]).toEqual(['i4']);
  });
});

describe('perUserLastPositives', () => {
  it('cuts each user before their last positives, keeping same-instant events after the cut', () => {
    const log = dataset([
      ev('a', 'i1', 'view', 1),
      ev('a', 'i1', 'purchase', 1),
      ev('a', 'i2', 'view', 5),
      ev('a', 'i2', 'purchase', 5),
      ev('b', 'i1', 'purchase', 2),
      ev('b', 'i3', 'view', 3),
      ev('b', 'i3', 'purchase', 3),
      ev('b', 'i4', 'purchase', 4),
      ev('c', 'i9', 'purchase', 6), // a single positive: nothing to learn from
    ]);
    const cases = perUserLastPositives(log, 0.5);
    expect(cases.map((c) => [c.actorId, c.at, [...c.relevant]])).toEqual([
      ['b', 3, ['i3', 'i4']],
      ['a', 5, ['i2']],
    ]);
    // The query for 'a' runs before a's view of i2, so i2 is not in a's history.
    expect(log.events[cases[1]!.seq]).toEqual(ev('a', 'i2', 'view', 5));
  });
});

describe('sampleCases', () => {
  it('is deterministic for a seed and keeps replay order', () => {
    const cases = Array.from({ length: 50 }, (_, i) => ({
      actorId: `u${i}`,
      seq: i,
      at: i,
      relevant: new Set(['x']),
    }));
    const one = sampleCases(cases, 10, 1);
    expect(one).toEqual(sampleCases(cases, 10, 1));
    expect(one).not.toEqual(sampleCases(cases, 10, 2));
    expect(one.map((c) => c.seq)).toEqual([...one.map((c) => c.seq)].sort((x, y) => x - y));
    expect(sampleCases(cases, 100, 1)).toHaveLength(50);
  });
});
