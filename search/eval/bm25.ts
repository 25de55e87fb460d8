import type { SearchDocument } from '../src/types';

/**
 * The baseline the engine is measured against: textbook Okapi BM25 (k1 = 1.2, b = 0.75) over one bag of
 * words per product made of the same fields the engine indexes. Deliberately plain — lower-casing,
 * Latin words split on anything that is not a letter or digit, every CJK character its own token — with
 * no synonyms, no typo tolerance, no prefixes, no field boosts and no popularity.
 */
const K1 = 1.2;
const B = 0.75;

export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{Script=Han}]|[\p{L}\p{N}]+/gu) ?? []
  ).filter((t) => t.length > 0);
}

export function baselineText(d: SearchDocument): string {
  return [
    d.name,
    d.nameZh,
    d.brand,
    ...d.categoryNames,
    ...d.attributes,
    ...d.tags,
    d.description,
    d.descriptionZh,
  ].join(' ');
}

export class Bm25Index {
  readonly #postings = new Map<string, Map<number, number>>();
  readonly #lengths: number[] = [];
  readonly #ids: string[] = [];
  #averageLength = 0;

  constructor(documents: readonly SearchDocument[]) {
    for (const d of documents) {
      const doc = this.#ids.length;
      this.#ids.push(d.id);
      const tokens = tokenize(baselineText(d));
      this.#lengths.push(tokens.length);
      for (const token of tokens) {
        let posting = this.#postings.get(token);
        if (!posting) this.#postings.set(token, (posting = new Map()));
        posting.set(doc, (posting.get(doc) ?? 0) + 1);
      }
    }
    this.#averageLength = this.#lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.#lengths.length);
  }

  /** Ids of the best `limit` documents, best first (ties broken by index order, i.e. deterministically). */
  search(query: string, limit: number): string[] {
    const n = this.#ids.length;
    const scores = new Map<number, number>();
    for (const term of new Set(tokenize(query))) {
      const posting = this.#postings.get(term);
      if (!posting) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [doc, tf] of posting) {
        const norm = tf + K1 * (1 - B + (B * this.#lengths[doc]!) / this.#averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([doc]) => this.#ids[doc]!);
  }
}
