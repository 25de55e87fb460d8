import { LIMITS } from './options';
import { TopK } from './top-k';

interface TermVector {
  /** Token ids, ascending. */
  tokens: Int32Array;
  /** Sublinear term frequency 1 + ln(count), aligned with tokens. */
  tf: Float32Array;
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

  get size(): number {
    return this.count;
  }

  set(index: number, tokens: string[]): void {
    const previous = this.vectors[index];
    const next = this.vectorOf(tokens);
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
  }

  remove(index: number): void {
    const previous = this.vectors[index];
    if (!previous) return;
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
    const partial = new Map<number, number>();
    for (let i = 0; i < query.tokens.length; i++) {
      const token = query.tokens[i]!;
      if (this.df[token]! > LIMITS.contentMaxPostings) continue;
      const weight = query.tf[i]! * this.idf(token) ** 2;
      for (const other of this.postings[token]!) {
        if (other !== index) partial.set(other, (partial.get(other) ?? 0) + weight);
      }
    }
    const candidates = new TopK(LIMITS.contentCandidates);
    for (const [other, score] of partial) if (accept(other)) candidates.offer(other, score);
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

  private norm(vector: TermVector): number {
    let sum = 0;
    for (let i = 0; i < vector.tokens.length; i++) sum += (vector.tf[i]! * this.idf(vector.tokens[i]!)) ** 2;
    return Math.sqrt(sum);
  }

  private dot(a: TermVector, b: TermVector): number {
    let sum = 0;
    for (let i = 0, j = 0; i < a.tokens.length && j < b.tokens.length;) {
      const ta = a.tokens[i]!;
      const tb = b.tokens[j]!;
      if (ta < tb) i++;
      else if (ta > tb) j++;
      else {
        sum += a.tf[i]! * b.tf[j]! * this.idf(ta) ** 2;
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
    return { tokens: ids, tf: Float32Array.from(ids, (id) => 1 + Math.log(counts.get(id)!)) };
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
