import type MiniSearch from 'minisearch';
import type { QueryCombination, SearchOptions } from 'minisearch';

/**
 * MiniSearch 7's query evaluation (`executeQuery`), rewritten to add scores into typed arrays indexed by
 * its short document ids instead of building an object, an array and a map per matching document and
 * term. A broad word at 100k products meets 50,000 postings per field; that allocation was most of a
 * search's time. It reads MiniSearch's index as is (the members below, private in its types) and keeps
 * its arithmetic operation for operation — same BM25+, weights, expansions and order of additions — so
 * scores are equal to the last bit (`text-index.test.ts` compares every judged query with `mini.search`).
 * The matched index terms of a document, which only highlighting needs, are worked out per document on
 * request (`termsOf`).
 */

/** The query trees the text index builds: terms and combinations (never MiniSearch's wildcard). */
export type Query = string | QueryCombination;

type FieldTermData = Map<number, Map<number, number>>;

interface TermMap {
  get(term: string): FieldTermData | undefined;
  atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [FieldTermData, number]>;
}

interface MiniSearchInternals {
  _index: TermMap;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentIds: Map<number, unknown>;
  _documentCount: number;
  _dirtCount: number;
  _currentVacuum: Promise<void> | null;
  _nextId: number;
  _options: { fields: string[]; searchOptions: SearchOptions };
  removeTerm(fieldId: number, documentId: number, term: string): void;
}

interface Bm25Params {
  k: number;
  b: number;
  d: number;
}

/** Query options as MiniSearch merges them down the tree (its defaults are in `_options.searchOptions`). */
type Options = SearchOptions & { queries?: undefined };

/** One leaf term with its options, as MiniSearch's `termToQuerySpec` makes it. */
interface TermSpec {
  term: string;
  fuzzy: number | boolean;
  prefix: boolean;
}

/** Scores and matched query terms of a set of documents, by short id. */
export class Scores {
  readonly score: Float64Array;
  /** Bit i set: the document matched the query's i-th distinct term (MiniSearch's `quality`). */
  readonly terms: Uint32Array;
  private readonly mark: Uint32Array;
  private generation = 1;
  /** The documents in the set, in the order they joined it. */
  ids: number[] = [];
  /** `ids` in ascending order, worked out when first asked for after a change. */
  private sorted: Int32Array | null = null;

  constructor(size: number) {
    this.score = new Float64Array(size);
    this.terms = new Uint32Array(size);
    this.mark = new Uint32Array(size);
  }

  get capacity(): number {
    return this.score.length;
  }

  has(id: number): boolean {
    return this.mark[id] === this.generation;
  }

  /** Adds `score` the way MiniSearch does: the first contribution is stored, later ones are summed. */
  add(id: number, score: number, terms: number): void {
    if (this.mark[id] === this.generation) {
      this.score[id] = this.score[id]! + score;
      this.terms[id]! |= terms;
    } else {
      this.mark[id] = this.generation;
      this.score[id] = score;
      this.terms[id] = terms;
      this.ids.push(id);
      this.sorted = null;
    }
  }

  /** The documents in the set by ascending short id. */
  ascending(): Int32Array {
    return (this.sorted ??= Int32Array.from(this.ids).sort());
  }

  /** Keeps only the documents `keep` accepts. */
  retain(keep: (id: number) => boolean): void {
    const kept: number[] = [];
    for (const id of this.ids) {
      if (keep(id)) kept.push(id);
      else this.mark[id] = 0;
    }
    this.ids = kept;
    this.sorted = null;
  }

  reset(): void {
    this.ids = [];
    this.sorted = null;
    if (++this.generation === 0xffffffff) {
      this.mark.fill(0);
      this.generation = 1;
    }
  }

  /** How many distinct query terms a document matched (at least 1): MiniSearch's quality factor. */
  quality(id: number): number {
    let bits = this.terms[id]!;
    let count = 0;
    while (bits) {
      bits &= bits - 1;
      count++;
    }
    return count || 1;
  }
}

/**
 * A long posting list copied into typed arrays, in the list's order, with the state of the index it was
 * copied in: documents added (`nextId`), present (`documents`) and discarded awaiting a vacuum (`dirt`).
 * Any write changes one of them, and only writes (and a vacuum, during which no copy is used) change a
 * posting list — besides the clean-up of removed documents by a search, which only shortens it.
 */
interface PostingArrays {
  nextId: number;
  documents: number;
  dirt: number;
  ids: Int32Array;
  freqs: Uint32Array;
}

/** Posting lists shorter than this are walked as they are (a copy would not pay). */
const COPIED_POSTINGS = 256;

/** More distinct terms than bits: the caller falls back to MiniSearch itself. */
export const MAX_QUERY_TERMS = 32;

export class QueryExecutor {
  /** Sets reused from query to query (a fresh 100k-slot array per tree node would cost its zeroing). */
  private readonly pool: Scores[] = [];
  /** Field lengths by field and short id (see `syncLengths`). */
  private lengths: Uint32Array[] = [];
  private lengthsUpTo = 0;
  private lengthSource: Map<number, number[]> | null = null;
  /**
   * Long posting lists as typed arrays, by list: walking a map of 50,000 entries cost more than scoring
   * them. Copied on first use after a write, so a burst of searches between two writes reads each list
   * from the map once.
   */
  private readonly copies = new WeakMap<Map<number, number>, PostingArrays>();

  constructor(private readonly mini: MiniSearch<unknown>) {}

  private get index(): MiniSearchInternals {
    return this.mini as unknown as MiniSearchInternals;
  }

  /** Numbers the distinct leaf terms of a query; null when there are more than MAX_QUERY_TERMS. */
  static termBits(query: Query): Map<string, number> | null {
    const bits = new Map<string, number>();
    const visit = (q: Query) => {
      if (typeof q === 'string') {
        if (q && !bits.has(q)) bits.set(q, bits.size);
        return;
      }
      for (const sub of q.queries) visit(sub as Query);
    };
    visit(query);
    return bits.size <= MAX_QUERY_TERMS ? bits : null;
  }

  /**
   * Evaluates `query` into a set from the pool (give it back with `release`); `within`, when given,
   * limits the evaluation to its documents, as a `boostDocument` of 0 for the others would.
   */
  run(query: Query, options: SearchOptions, bits: Map<string, number>, within?: Scores): Scores {
    this.syncLengths();
    const out = this.acquire();
    this.evaluate(query, options as Options, bits, within ?? null, out);
    return out;
  }

  /**
   * Copies the field lengths of documents added since the last search into typed arrays: a short id's
   * lengths never change (MiniSearch gives a changed document a new id), and reading them from its map
   * was a lookup per posting. `removeAll` starts MiniSearch over with a new map: so do these.
   */
  private syncLengths(): void {
    const { _fieldLength, _nextId, _options } = this.index;
    if (this.lengthSource !== _fieldLength || _nextId < this.lengthsUpTo) {
      this.lengths = [];
      this.lengthsUpTo = 0;
      this.lengthSource = _fieldLength;
    }
    if (this.lengthsUpTo >= _nextId) return;
    for (let field = 0; field < _options.fields.length; field++) {
      const old = this.lengths[field];
      if (old && old.length >= _nextId) continue;
      const bigger = new Uint32Array(Math.max(1024, _nextId + (_nextId >> 2)));
      if (old) bigger.set(old);
      this.lengths[field] = bigger;
    }
    for (let id = this.lengthsUpTo; id < _nextId; id++) {
      const lengths = _fieldLength.get(id);
      if (lengths)
        for (let field = 0; field < lengths.length; field++) this.lengths[field]![id] = lengths[field] ?? 0;
    }
    this.lengthsUpTo = _nextId;
  }

  /** `postings` as typed arrays (a copy made since the last write), or null for a short list. */
  private arraysOf(postings: Map<number, number>): PostingArrays | null {
    const { _nextId: nextId, _documentCount: documents, _dirtCount: dirt, _currentVacuum } = this.index;
    if (postings.size < COPIED_POSTINGS || _currentVacuum) return null;
    const copy = this.copies.get(postings);
    // A guard: without a write a list only shrinks when a search cleans removed documents out of it, and
    // a copy kept is one whose walk met none (this executor drops a copy it cleaned) — but the length
    // costs nothing to compare.
    if (
      copy &&
      copy.nextId === nextId &&
      copy.documents === documents &&
      copy.dirt === dirt &&
      copy.ids.length === postings.size
    )
      return copy;
    const ids = new Int32Array(postings.size);
    const freqs = new Uint32Array(postings.size);
    let i = 0;
    postings.forEach((termFreq, docId) => {
      ids[i] = docId;
      freqs[i++] = termFreq;
    });
    const made = { nextId, documents, dirt, ids, freqs };
    this.copies.set(postings, made);
    return made;
  }

  release(scores: Scores): void {
    this.pool.push(scores);
  }

  /**
   * A function giving the index terms (after prefix and typo expansion) through which a document matches
   * `query`, in no particular order, or null when it does not match. The expansions of each term are
   * looked up once, on the first call, and shared by the page's hits.
   */
  termsOf(query: Query, options: SearchOptions): (id: number) => string[] | null {
    let compiled: Compiled | undefined;
    return (id) => {
      compiled ??= this.compile(query, options as Options);
      const found = new Set<string>();
      return matches(compiled, id, found) ? [...found] : null;
    };
  }

  /** An empty set from the pool (give it back with `release`). */
  empty(): Scores {
    return this.acquire();
  }

  private acquire(): Scores {
    const size = this.index._nextId;
    let scores = this.pool.pop();
    while (scores && scores.capacity < size) scores = this.pool.pop();
    if (!scores) return new Scores(Math.max(size, 1024) + (size >> 3));
    scores.reset();
    return scores;
  }

  private evaluate(
    query: Query,
    options: Options,
    bits: Map<string, number>,
    within: Scores | null,
    out: Scores,
  ): void {
    if (typeof query === 'string') {
      const merged = { ...this.index._options.searchOptions, ...options };
      if (!query) return;
      const spec: TermSpec = {
        term: query,
        fuzzy: merged.fuzzy || false,
        prefix: merged.prefix === true,
      } as TermSpec;
      this.evaluateTerm(spec, merged, bits.get(query)!, within, out);
      return;
    }
    const own: Options = { ...options, ...query, queries: undefined };
    const and = (own.combineWith ?? 'OR').toLowerCase() === 'and';
    const [first, ...rest] = query.queries as Query[];
    if (first === undefined) return;
    this.evaluate(first, own, bits, within, out);
    for (const sub of rest) {
      if (and && !out.ids.length) return;
      const next = this.acquire();
      // An AND only needs the documents still in it.
      this.evaluate(sub, own, bits, and ? out : within, next);
      if (and) {
        out.retain((id) => next.has(id));
        for (const id of out.ids) {
          out.score[id] = out.score[id]! + next.score[id]!;
          out.terms[id]! |= next.terms[id]!;
        }
      } else {
        for (const id of next.ids) out.add(id, next.score[id]!, next.terms[id]!);
      }
      this.release(next);
    }
  }

  /** `executeQuerySpec`: the term itself, then its prefix completions, then its typo neighbours. */
  private evaluateTerm(
    spec: TermSpec,
    options: SearchOptions,
    bit: number,
    within: Scores | null,
    out: Scores,
  ): void {
    const { fields, boost, weights, maxFuzzy, bm25 } = options;
    const boosts = (fields ?? this.index._options.fields).map(
      (field) => [field, (Object.hasOwn(boost ?? {}, field) && boost![field]) || 1] as const,
    );
    const fuzzyWeight = weights?.fuzzy ?? 0.45;
    const prefixWeight = weights?.prefix ?? 0.375;
    const terms = 1 << bit;
    const params = bm25 as Bm25Params;
    const add = (derived: string, weight: number, data: FieldTermData | undefined) =>
      this.termResults(derived, weight, data, boosts, params, terms, within, out);
    add(spec.term, 1, this.index._index.get(spec.term));
    let fuzzyMatches: Map<string, [FieldTermData, number]> | undefined;
    if (spec.fuzzy) {
      const fuzzy = spec.fuzzy === true ? 0.2 : spec.fuzzy;
      const maxDistance = fuzzy < 1 ? Math.min(maxFuzzy ?? 6, Math.round(spec.term.length * fuzzy)) : fuzzy;
      if (maxDistance) fuzzyMatches = this.index._index.fuzzyGet(spec.term, maxDistance);
    }
    if (spec.prefix) {
      for (const [term, data] of this.index._index.atPrefix(spec.term)) {
        const distance = term.length - spec.term.length;
        if (!distance) continue;
        fuzzyMatches?.delete(term);
        add(term, (prefixWeight * term.length) / (term.length + 0.3 * distance), data);
      }
    }
    if (fuzzyMatches) {
      for (const [term, [data, distance]] of fuzzyMatches) {
        if (!distance) continue;
        add(term, (fuzzyWeight * term.length) / (term.length + distance), data);
      }
    }
  }

  /** `termResults`, with the same lazy clean-up of postings of removed documents. */
  private termResults(
    derivedTerm: string,
    termWeight: number,
    data: FieldTermData | undefined,
    boosts: (readonly [string, number])[],
    { k, b, d }: Bm25Params,
    terms: number,
    within: Scores | null,
    out: Scores,
  ): void {
    if (data == null) return;
    const { _fieldIds, _documentIds, _avgFieldLength, _documentCount, _dirtCount } = this.index;
    for (const [field, fieldBoost] of boosts) {
      const fieldId = _fieldIds[field]!;
      const postings = data.get(fieldId);
      if (postings == null) continue;
      let matching = postings.size;
      const avgFieldLength = _avgFieldLength[fieldId]!;
      const fieldLengths = this.lengths[fieldId]!;
      // The same for every document until a removed one is met (and counted out).
      let invDocFreq = Math.log(1 + (_documentCount - matching + 0.5) / (matching + 0.5));
      // Few documents still in the running and a long posting list ("phone" within one brand's products):
      // look those up instead of walking the list. Exact only while the list holds no removed document
      // (they change the document frequency where they are met), i.e. while none awaits a vacuum; and
      // in the same order, as a posting list is in ascending short id (MiniSearch numbers documents as
      // they are added and appends their postings).
      if (within && _dirtCount === 0 && within.ids.length * 8 < matching) {
        const ids = within.ascending();
        for (let i = 0; i < ids.length; i++) {
          const docId = ids[i]!;
          const termFreq = postings.get(docId);
          if (termFreq === undefined) continue;
          const fieldLength = fieldLengths[docId]!;
          const raw =
            invDocFreq *
            (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
          out.add(docId, termWeight * 1 * fieldBoost * 1 * raw, terms);
        }
        continue;
      }
      const arrays = this.arraysOf(postings);
      if (arrays) {
        // The loop below over the copy: the same documents in the same order.
        const { ids, freqs } = arrays;
        let cleaned = false;
        for (let i = 0; i < ids.length; i++) {
          const docId = ids[i]!;
          if (_dirtCount > 0 && !_documentIds.has(docId)) {
            this.index.removeTerm(fieldId, docId, derivedTerm);
            cleaned = true;
            matching -= 1;
            invDocFreq = Math.log(1 + (_documentCount - matching + 0.5) / (matching + 0.5));
            continue;
          }
          if (within && !within.has(docId)) continue;
          const termFreq = freqs[i]!;
          const fieldLength = fieldLengths[docId]!;
          const raw =
            invDocFreq *
            (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
          out.add(docId, termWeight * 1 * fieldBoost * 1 * raw, terms);
        }
        if (cleaned) this.copies.delete(postings);
        continue;
      }
      for (const [docId, termFreq] of postings) {
        if (!_documentIds.has(docId)) {
          this.index.removeTerm(fieldId, docId, derivedTerm);
          matching -= 1;
          invDocFreq = Math.log(1 + (_documentCount - matching + 0.5) / (matching + 0.5));
          continue;
        }
        if (within && !within.has(docId)) continue;
        const fieldLength = fieldLengths[docId]!;
        const raw =
          invDocFreq *
          (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
        // termWeight × termBoost (1) × fieldBoost × docBoost (1) × raw, in MiniSearch's order.
        out.add(docId, termWeight * 1 * fieldBoost * 1 * raw, terms);
      }
    }
  }

  private compile(query: Query, options: Options): Compiled {
    if (typeof query === 'string') {
      const merged = { ...this.index._options.searchOptions, ...options };
      const fieldIds = (merged.fields ?? this.index._options.fields).map((f) => this.index._fieldIds[f]!);
      const expansions: [string, FieldTermData][] = [];
      if (!query) return { and: false, children: [] };
      const exact = this.index._index.get(query);
      if (exact) expansions.push([query, exact]);
      const fuzzy = merged.fuzzy || false;
      let fuzzyMatches: Map<string, [FieldTermData, number]> | undefined;
      if (fuzzy) {
        const f = fuzzy === true ? 0.2 : (fuzzy as number);
        const maxDistance = f < 1 ? Math.min(merged.maxFuzzy ?? 6, Math.round(query.length * f)) : f;
        if (maxDistance) fuzzyMatches = this.index._index.fuzzyGet(query, maxDistance);
      }
      if (merged.prefix === true)
        for (const [derived, data] of this.index._index.atPrefix(query))
          if (derived !== query) expansions.push([derived, data]);
      if (fuzzyMatches)
        for (const [derived, [data, distance]] of fuzzyMatches)
          if (distance) expansions.push([derived, data]);
      return { fieldIds, expansions };
    }
    const own: Options = { ...options, ...query, queries: undefined };
    const and = (own.combineWith ?? 'OR').toLowerCase() === 'and';
    return { and, children: (query.queries as Query[]).map((sub) => this.compile(sub, own)) };
  }
}

/** A query tree with each term's expansions looked up, for `termsOf`. */
type Compiled =
  { and: boolean; children: Compiled[] } | { fieldIds: number[]; expansions: [string, FieldTermData][] };

function matches(node: Compiled, id: number, found: Set<string>): boolean {
  if ('expansions' in node) {
    let any = false;
    for (const [derived, data] of node.expansions)
      if (node.fieldIds.some((fieldId) => data.get(fieldId)?.has(id))) {
        found.add(derived);
        any = true;
      }
    return any;
  }
  if (node.and) {
    const local = new Set<string>();
    for (const child of node.children) if (!matches(child, id, local)) return false;
    for (const term of local) found.add(term);
    return node.children.length > 0;
  }
  let any = false;
  for (const child of node.children) if (matches(child, id, found)) any = true;
  return any;
}
