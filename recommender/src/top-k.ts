import type { Reason } from './types';

/** A ranked item inside the library (dense index); turned into `Scored` at the public edge. */
export interface Ranked {
  index: number;
  score: number;
  reasons: Reason[];
}

/**
 * The k highest scores by a bounded min-heap: O(n log k) over a scan of n candidates, without sorting or
 * allocating per candidate. Ties go to the lower index (first seen), so results are deterministic.
 */
export class TopK {
  /** Heap slots in plain arrays that grow to k: most lists end far below k, and typed arrays are slow to allocate. */
  private readonly indexes: number[] = [];
  private readonly scores: number[] = [];
  private size = 0;

  constructor(private readonly k: number) {}

  offer(index: number, score: number): void {
    if (this.k <= 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.indexes[i] = index;
      this.scores[i] = score;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    if (!beats(score, index, this.scores[0]!, this.indexes[0]!)) return;
    this.indexes[0] = index;
    this.scores[0] = score;
    this.siftDown(0);
  }

  /** Best first (score, then lower index), by popping the heap's worst into the last free place. */
  drain(): { index: number; score: number }[] {
    const out = new Array<{ index: number; score: number }>(this.size);
    while (this.size > 0) {
      out[this.size - 1] = { index: this.indexes[0]!, score: this.scores[0]! };
      this.size--;
      if (this.size > 0) {
        this.indexes[0] = this.indexes[this.size]!;
        this.scores[0] = this.scores[this.size]!;
        this.siftDown(0);
      }
    }
    this.indexes.length = 0;
    this.scores.length = 0;
    return out;
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.size && this.worse(left, worst)) worst = left;
      if (right < this.size && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  /** Whether slot a ranks below slot b. */
  private worse(a: number, b: number): boolean {
    return beats(this.scores[b]!, this.indexes[b]!, this.scores[a]!, this.indexes[a]!);
  }

  private swap(a: number, b: number): void {
    const index = this.indexes[a]!;
    const score = this.scores[a]!;
    this.indexes[a] = this.indexes[b]!;
    this.scores[a] = this.scores[b]!;
    this.indexes[b] = index;
    this.scores[b] = score;
  }
}

function beats(score: number, index: number, otherScore: number, otherIndex: number): boolean {
  return score > otherScore || (score === otherScore && index < otherIndex);
}

/** Sorts best first with the same deterministic tie-break as TopK. */
export function byScore(a: Ranked, b: Ranked): number {
  return b.score - a.score || a.index - b.index;
}
