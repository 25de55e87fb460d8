import { LIMITS } from './options';
import { TopK } from './top-k';

interface TermVector {
  /** Token ids, ascending. */
  tokens: Int32Array;
  /** Sublinear term frequency 1 + ln(count), aligned with tokens. */
  tf: Float32Array;
  /** The vector's norm as of `normGeneration` (IDF moves whenever the index changes). */
  norm: number;
  normGeneration: number;
}

/**
 * Content similarity for items without history: TF-IDF cosine over item tokens (`itemTokens`), with
 * weight (1 + ln tf) · ln(1 + N / df). Term frequencies are stored and IDF applied at query time, so
 * vectors never go stale as the catalog grows.
 *
 * Candidates come from the postings of the query's tokens (skipping lists longer than
 * LIMITS.contentMaxPostings, which carry little IDF and cost the most), ranked by partial dot product;
 * the best LIMITS.contentCandidates are then scored by exact cosine over all their tokens. Postings are
 * append-only arrays: a token an item loses stays listed until more than half of a list is stale, then
 * the list is compacted; exact scoring makes stale entries harmless in between.
 */
export class ContentIndex {
  private readonly tokenIds = new Map<string, number>();
  private df = new Int32Array(1024);
  private readonly postings: number[][] = [];
  private readonly stale: number[] = [];
  private readonly vectors: (TermVector | undefined)[] = [];
  private count = 0;
  /**
   * Bumped by every change of the index: IDF values and norms computed at an older generation are
   * recomputed on use, so between catalog changes they are computed once, not per query.
   */
  private generation = 0;
  private idfSquared = new Float64Array(1024);
  private idfGeneration = new Int32Array(1024).fill(-1);
  /** Partial dot products of one query, by item index, reused across queries (zeroed after each). */
  private scratch = new Float64Array(1024);
  private readonly touched: number[] = [];

  get size(): number {
    return this.count;
  }

  /** Indexes the item's tokens; returns whether they differ from what it had (a stock change does not). */
  set(index: number, tokens: string[]): boolean {
    const previous = this.vectors[index];
    const next = this.vectorOf(tokens);
    if (previous && sameVector(previous, next)) return false;
    this.generation++;
    // Stored first, so that a compaction triggered below already sees the item's new tokens.
    this.vectors[index] = next;
    if (previous) {
      for (const token of previous.tokens) if (!has(next.tokens, token)) this.unlist(token);
    } else {
      this.count++;
    }
    for (const token of next.tokens) {
      if (previous && has(previous.tokens, token)) continue;
      this.df[token]!++;
      this.postings[token]!.push(index);
    }
    return true;
  }

  remove(index: number): void {
    const previous = this.vectors[index];
    if (!previous) return;
    this.generation++;
    this.vectors[index] = undefined;
    for (const token of previous.tokens) this.unlist(token);
    this.count--;
  }

  /** Cosine similarity of two indexed items (0 when either is not indexed). */
  similarity(a: number, b: number): number {
    const va = this.vectors[a];
    const vb = this.vectors[b];
    if (!va || !vb) return 0;
    return this.dot(va, vb) / (this.norm(va) * this.norm(vb) || 1);
  }

  /** The most similar accepted items to `index`, best first. */
  similar(
    index: number,
    limit: number,
    accept: (index: number) => boolean,
  ): { index: number; score: number }[] {
    const query = this.vectors[index];
    if (!query || limit <= 0) return [];
    if (this.scratch.length < this.vectors.length) this.scratch = new Float64Array(this.vectors.length * 2);
    const partial = this.scratch;
    const touched = this.touched;
    for (let i = 0; i < query.tokens.length; i++) {
      const token = query.tokens[i]!;
      if (this.df[token]! > LIMITS.contentMaxPostings) continue;
      const weight = query.tf[i]! * this.idf2(token);
      for (const other of this.postings[token]!) {
        if (other === index) continue;
        if (partial[other] === 0) touched.push(other);
        partial[other]! += weight;
      }
    }
    // In first-touched order, as the map this replaces iterated, so ties rank as before.
    const candidates = new TopK(LIMITS.contentCandidates);
    for (const other of touched) {
      if (accept(other)) candidates.offer(other, partial[other]!);
      partial[other] = 0;
    }
    touched.length = 0;
    const queryNorm = this.norm(query);
    const top = new TopK(limit);
    for (const { index: other } of candidates.drain()) {
      const vector = this.vectors[other];
      if (!vector) continue;
      const cosine = this.dot(query, vector) / (queryNorm * this.norm(vector) || 1);
      if (cosine > 0) top.offer(other, cosine);
    }
    return top.drain();
  }

  private idf(token: number): number {
    const df = this.df[token]!;
    return df > 0 ? Math.log(1 + this.count / df) : 0;
  }

  /** idf(token)², cached for the current generation. */
  private idf2(token: number): number {
    if (this.idfGeneration[token] !== this.generation) {
      this.idfSquared[token] = this.idf(token) ** 2;
      this.idfGeneration[token] = this.generation;
    }
    return this.idfSquared[token]!;
  }

  private norm(vector: TermVector): number {
    if (vector.normGeneration === this.generation) return vector.norm;
    let sum = 0;
    for (let i = 0; i < vector.tokens.length; i++) sum += (vector.tf[i]! * this.idf(vector.tokens[i]!)) ** 2;
    vector.norm = Math.sqrt(sum);
    vector.normGeneration = this.generation;
    return vector.norm;
  }

  private dot(a: TermVector, b: TermVector): number {
    let sum = 0;
    for (let i = 0, j = 0; i < a.tokens.length && j < b.tokens.length;) {
      const ta = a.tokens[i]!;
      const tb = b.tokens[j]!;
      if (ta < tb) i++;
      else if (ta > tb) j++;
      else {
        sum += a.tf[i]! * b.tf[j]! * this.idf2(ta);
        i++;
        j++;
      }
    }
    return sum;
  }

  private vectorOf(tokens: string[]): TermVector {
    const counts = new Map<number, number>();
    for (const token of tokens) {
      const id = this.tokenId(token);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from(counts.keys()).sort();
    return {
      tokens: ids,
      tf: Float32Array.from(ids, (id) => 1 + Math.log(counts.get(id)!)),
      norm: 0,
      normGeneration: -1,
    };
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.postings.length;
      this.tokenIds.set(token, id);
      this.postings.push([]);
      this.stale.push(0);
      if (id >= this.df.length) {
        const df = new Int32Array(this.df.length * 2);
        df.set(this.df);
        this.df = df;
        const idfSquared = new Float64Array(df.length);
        idfSquared.set(this.idfSquared);
        this.idfSquared = idfSquared;
        const idfGeneration = new Int32Array(df.length).fill(-1);
        idfGeneration.set(this.idfGeneration);
        this.idfGeneration = idfGeneration;
      }
    }
    return id;
  }

  private unlist(token: number): void {
    this.df[token]!--;
    const list = this.postings[token]!;
    if (++this.stale[token]! * 2 <= list.length) return;
    const seen = new Set<number>();
    this.postings[token] = list.filter((item) => {
      const vector = this.vectors[item];
      if (seen.has(item) || !vector || !has(vector.tokens, token)) return false;
      seen.add(item);
      return true;
    });
    this.stale[token] = 0;
  }
}

function sameVector(a: TermVector, b: TermVector): boolean {
  if (a.tokens.length !== b.tokens.length) return false;
  for (let i = 0; i < a.tokens.length; i++)
    if (a.tokens[i] !== b.tokens[i] || a.tf[i] !== b.tf[i]) return false;
  return true;
}

function has(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
