import { describe, expect, it } from 'vitest';
import { Int8VectorIndex, reciprocalRankFusion, VectorIndex } from './semantic';

/** A unit vector pointing along `values`, each spread over 32 components so that none exceeds ~0.18, as in e5. */
const unit = (values: number[]) => {
  const spread = values.flatMap((v) => Array<number>(32).fill(v));
  const norm = Math.hypot(...spread);
  return Float32Array.from(spread.map((v) => v / norm));
};

describe('reciprocalRankFusion', () => {
  it('ranks a document both lists hold above one that only one list ranks first', () => {
    expect(
      reciprocalRankFusion(
        [
          ['a', 'b', 'c'],
          ['x', 'b', 'y'],
        ],
        3,
      ),
    ).toEqual(['b', 'a', 'x']);
  });

  it('keeps the first list when the other is empty, and stops at the limit', () => {
    expect(reciprocalRankFusion([['a', 'b', 'c'], []], 2)).toEqual(['a', 'b']);
  });
});

describe('brute-force vector search', () => {
  const ids = ['north', 'east', 'south', 'north-east'];
  const vectors = [unit([0, 1, 0]), unit([1, 0, 0]), unit([0, -1, 0]), unit([1, 1, 0])];

  it.each([
    ['Float32', new VectorIndex(ids, vectors)],
    ['int8', new Int8VectorIndex(ids, vectors)],
  ])('%s: nearest first by cosine, k results', (_, index) => {
    expect(index.search(unit([0.2, 1, 0]), 3)).toEqual(['north', 'north-east', 'east']);
    expect(index.search(unit([0, -1, 0.1]), 1)).toEqual(['south']);
  });
});
