import MiniSearch, { type SearchOptions } from 'minisearch';
import {
  adjacentTranspositions,
  conceptsOf,
  DISCRIMINATING_TYPES,
  isLexiconWord,
  type ParsedQuery,
  type QueryClause,
  splitTitle,
  stemEnglish,
  surfaceWords,
  tokenizeForIndex,
} from '../analysis';
import type { SearchDocument } from '../types';
import { forgetVocabulary } from './did-you-mean';
import { decodeTerm, encodeTerm } from './han-encoding';
import { type Query, QueryExecutor, type Scores } from './query-executor';

/**
 * Field boosts: a word of what the product is (the title before "for …") counts most, then brand and
 * category words, then attributes and tags, then the description. The devices a product fits ("… for
 * Apple iPhone 7") weigh little: a case for an iPhone is not an iPhone. `concepts` holds the lexicon
 * entries the product is (brand, kind, colour …, see `conceptsOf`), met by the lexicon phrases of a query.
 */
export const FIELD_BOOSTS = {
  name: 4,
  nameZh: 4,
  nameFits: 2.5,
  brand: 2.5,
  categoryNames: 2,
  attributes: 1.3,
  description: 1,
  concepts: 1.5,
} as const;
type IndexedField = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as IndexedField[];
const TEXT_FIELDS: IndexedField[] = FIELDS.filter((f) => f !== 'concepts');
/** Synonyms skip the description (see clauseQuery) and the concepts, which have their own clause. */
const SYNONYM_FIELDS: IndexedField[] = TEXT_FIELDS.filter((f) => f !== 'description');
/** Fields whose words are also indexed as written, for the word being typed. */
const SURFACE_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'nameZh',
  'nameFits',
  'brand',
  'categoryNames',
  'attributes',
]);
const PREFIX_FIELDS: IndexedField[] = [...SURFACE_FIELDS] as IndexedField[];
/** Fields autocomplete looks at: what a shopper types the beginning of. */
export const SUGGEST_FIELDS: IndexedField[] = ['name', 'nameZh', 'nameFits', 'brand', 'categoryNames'];

/**
 * A synonym or translation weighs this much of the typed word, divided among its words ("power adapter"
 * for "charger" must not outscore "charger" by having two words); a lexicon concept match likewise.
 */
export const SYNONYM_WEIGHT = 0.5;
/** MiniSearch's weights for expanded terms: a completed prefix above a typo (its defaults are the reverse). */
export const EXPANSION_WEIGHTS = { prefix: 0.5, fuzzy: 0.35 } as const;

const scaled = (fields: IndexedField[], factor: number) =>
  Object.fromEntries(fields.map((f) => [f, FIELD_BOOSTS[f] * factor]));

function fieldText(doc: SearchDocument, field: IndexedField): string {
  switch (field) {
    case 'name':
      return splitTitle(doc.name).product;
    case 'nameZh':
      return splitTitle(doc.nameZh).product;
    case 'nameFits':
      return `${splitTitle(doc.name).fits} \n ${splitTitle(doc.nameZh).fits}`;
    case 'attributes':
      return [...doc.attributes, ...doc.tags].join(' \n ');
    case 'description':
      return `${doc.description} \n ${doc.descriptionZh}`;
    case 'categoryNames':
      return doc.categoryNames.join(' \n ');
    case 'concepts':
      return conceptsOf(doc).join(' ');
    default:
      return doc[field];
  }
}

/** How often a word must occur in the catalog to be trusted as spelled right (no fuzzy expansion). */
const KNOWN_WORD_OCCURRENCES = 3;
/** Below this many all-words matches, partial matches are added (see `search`). */
const RELAX_BELOW = 50;
/** Partial matches score at most this fraction of their BM25 score, so full matches stay on top. */
const RELAXED_SCORE = 0.35;

export interface TextMatch {
  readonly score: number;
  /** Index terms that matched in this document (after fuzzy/prefix expansion), for highlighting. */
  readonly terms: string[];
}

/**
 * A match whose terms are decoded when asked for: only a page of hits is highlighted, and decoding the
 * terms of 50,000 matches of a broad query was a good part of its cost.
 */
class LazyMatch implements TextMatch {
  private decoded: string[] | undefined;
  constructor(
    readonly score: number,
    private readonly indexTerms: string[] | (() => string[] | null),
  ) {}

  get terms(): string[] {
    return (this.decoded ??= (this.indexTermsRaw() ?? []).map(decodeTerm));
  }

  /** The matched index terms, still encoded. */
  indexTermsRaw(): string[] | null {
    return Array.isArray(this.indexTerms) ? this.indexTerms : this.indexTerms();
  }
}

export interface TextSearchResult {
  matches: Map<string, TextMatch>;
  /** Query words that matched no product and were left out of the search (shown to the shopper). */
  ignored: string[];
}

/** `TextIndex.hits`: the matches by MiniSearch short id, scores at the same positions. */
export interface TextHits {
  ids: number[];
  scores: Float64Array;
  /** Query words that matched no product and were left out of the search (shown to the shopper). */
  ignored: string[];
  /** The index terms (encoded; see `TextIndex.decodeTerms`) a document of `ids` matched through. */
  indexTerms(shortId: number): string[] | null;
}

interface MiniSearchInternals {
  _documentIds: Map<number, unknown>;
  _index: { get(term: string): Map<number, Map<number, number>> | undefined };
}

/** The vocabularies the index keeps beside MiniSearch, saved in the snapshot with it. */
export interface Vocabularies {
  /** Index term → occurrences (Latin terms only): typo handling and "did you mean". */
  terms: Map<string, number>;
  /** Latin words as sellers wrote them → occurrences: what makes a last word complete. */
  words: Map<string, number>;
  /** One-word brands (stemmed) → products: such a query word is discriminating. */
  brands: Map<string, number>;
}

export const emptyVocabularies = (): Vocabularies => ({
  terms: new Map(),
  words: new Map(),
  brands: new Map(),
});

/**
 * The full-text half of the engine: a MiniSearch inverted index over the analyzed fields plus its
 * vocabularies (for swapped-letter typos, complete words, brands and "did you mean"). Documents themselves
 * live in the engine; MiniSearch stores no fields, which keeps 100k products in a few hundred MB.
 */
export class TextIndex {
  private mini: MiniSearch<SearchDocument>;
  private readonly executor: QueryExecutor;
  /** Counts only grow until the next rebuild: a stale term costs one failed lookup. */
  readonly vocabularies: Vocabularies;

  constructor(mini?: MiniSearch<SearchDocument>, vocabularies?: Vocabularies) {
    this.vocabularies = vocabularies ?? emptyVocabularies();
    this.mini = mini ?? new MiniSearch<SearchDocument>(TextIndex.options(this.vocabularies));
    this.executor = new QueryExecutor(this.mini as MiniSearch<unknown>);
  }

  /** Term → occurrences, for "did you mean". */
  get vocabulary(): Map<string, number> {
    return this.vocabularies.terms;
  }

  static options(vocabularies: Vocabularies) {
    const { terms: vocabulary, words } = vocabularies;
    return {
      fields: FIELDS,
      storeFields: [],
      extractField: (doc: SearchDocument, field: string) =>
        field === 'id' ? doc.id : fieldText(doc, field as IndexedField),
      tokenize: (text: string, field?: string) => {
        if (field === 'concepts') return text ? text.split(' ') : [];
        const surfaces = SURFACE_FIELDS.has(field ?? '');
        if (surfaces) for (const word of surfaceWords(text)) words.set(word, (words.get(word) ?? 0) + 1);
        const terms = tokenizeForIndex(text, { unigrams: field !== 'description', surfaces });
        for (let i = 0; i < terms.length; i++) {
          const term = terms[i]!;
          const encoded = encodeTerm(term);
          // Only Latin terms feed typo handling and "did you mean".
          if (encoded === term) vocabulary.set(term, (vocabulary.get(term) ?? 0) + 1);
          terms[i] = encoded;
        }
        return terms;
      },
      processTerm: (term: string) => term,
      searchOptions: {
        // Query strings handed to MiniSearch are single, already analyzed terms.
        tokenize: (text: string) => [text],
        processTerm: (term: string) => term,
        boost: FIELD_BOOSTS,
        weights: EXPANSION_WEIGHTS,
      },
    };
  }

  static fromJSON(json: string, vocabularies: Vocabularies): TextIndex {
    return new TextIndex(
      MiniSearch.loadJSON<SearchDocument>(json, TextIndex.options(vocabularies)),
      vocabularies,
    );
  }

  toJSON(): string {
    return JSON.stringify(this.mini);
  }

  get documentCount(): number {
    return this.mini.documentCount;
  }

  has(id: string): boolean {
    return this.mini.has(id);
  }

  /** MiniSearch's short id of a document (a replaced document gets a new one); undefined when absent. */
  shortIdOf(id: string): number | undefined {
    return (this.mini as unknown as { _idToShortId: Map<string, number> })._idToShortId.get(id);
  }

  /** Records a product's brand when it is one word (several-word brands are in the lexicon). */
  learnBrand(doc: SearchDocument): void {
    const words = surfaceWords(doc.brand);
    if (words.length !== 1) return;
    const term = stemEnglish(words[0]!);
    this.vocabularies.brands.set(term, (this.vocabularies.brands.get(term) ?? 0) + 1);
  }

  /** Replaces a document; `discard` is lazy removal (no re-tokenizing of the old version). */
  put(doc: SearchDocument): void {
    if (this.mini.has(doc.id)) this.mini.discard(doc.id);
    this.mini.add(doc);
    this.learnBrand(doc);
  }

  putMany(docs: SearchDocument[]): void {
    const fresh: SearchDocument[] = [];
    for (const doc of docs) {
      if (this.mini.has(doc.id)) this.put(doc);
      else fresh.push(doc);
    }
    if (fresh.length) {
      this.mini.addAll(fresh);
      for (const doc of fresh) this.learnBrand(doc);
    }
  }

  /**
   * Drops the postings replaced and removed documents left behind now (MiniSearch does it in the
   * background once enough have piled up, and a search cleans those it meets).
   */
  async vacuum(): Promise<void> {
    await this.mini.vacuum();
  }

  delete(id: string): void {
    if (this.mini.has(id)) this.mini.discard(id);
  }

  clear(): void {
    this.mini.removeAll();
    for (const vocabulary of [this.vocabularies.terms, this.vocabularies.words]) forgetVocabulary(vocabulary);
    this.vocabularies.terms.clear();
    this.vocabularies.words.clear();
    this.vocabularies.brands.clear();
  }

  /** A word the catalog (or the lexicon) has as a whole word: typed to the end, not a prefix. */
  isCompleteWord(word: string): boolean {
    return (this.vocabularies.words.get(word) ?? 0) >= KNOWN_WORD_OCCURRENCES || isLexiconWord(word);
  }

  /** A brand or a kind: a word the query is about, which a partial match may not leave out. */
  private isDiscriminating(clause: QueryClause): boolean {
    if (clause.type && DISCRIMINATING_TYPES.has(clause.type)) return true;
    return clause.terms.length === 1 && (this.vocabularies.brands.get(clause.terms[0]!) ?? 0) > 0;
  }

  /**
   * Runs a parsed query. Every clause must match (AND), a clause by its terms, a synonym or a lexicon
   * concept. When that finds few documents for a query of several words (long exact titles whose
   * siblings differ by a word, a word misspelt beyond the typo budget), documents matching at least half
   * of the clauses are added below them with a reduced score, as a search box user expects — but never
   * without a brand or kind the query names, unless that word matches nothing at all: then it is left
   * out and reported in `ignored`.
   */
  search(parsed: ParsedQuery, fields?: IndexedField[], typing = false): TextSearchResult {
    const hits = this.hits(parsed, fields, typing);
    const matches = new Map<string, TextMatch>();
    for (let i = 0; i < hits.ids.length; i++) {
      const id = hits.ids[i]!;
      matches.set(this.externalId(id), new LazyMatch(hits.scores[i]!, () => hits.indexTerms(id)));
    }
    return { matches, ignored: hits.ignored };
  }

  /**
   * `search`, answered by short document id: the matches as two parallel arrays, without an object or a
   * map entry per match (a broad word matches 50,000 products at 100k, and the engine only shows 24 of
   * them). Same matches, same scores, same order as `search`.
   */
  hits(parsed: ParsedQuery, fields?: IndexedField[], typing = false): TextHits {
    const none: TextHits = { ids: [], scores: new Float64Array(0), ignored: [], indexTerms: () => null };
    if (!parsed.clauses.length) return none;
    const clauses = this.clauseQueries(parsed, typing);
    const options = this.searchOptions(fields);
    const every: Query = { combineWith: 'AND', queries: clauses };
    const bits = QueryExecutor.termBits(every);
    if (!bits) return this.hitsOfMatches(this.searchWithMiniSearch(parsed, clauses, options));
    const executor = this.executor;
    const found = this.matchEvery(parsed.clauses, clauses, options, bits);
    const termsOfEvery = executor.termsOf(every, options);
    const full = found.ids.length;
    const fullHits = (): TextHits => {
      const ids = found.ids.slice();
      const scores = new Float64Array(ids.length);
      for (let i = 0; i < ids.length; i++) scores[i] = found.score[ids[i]!]! * found.quality(ids[i]!);
      return { ids, scores, ignored: [], indexTerms: termsOfEvery };
    };
    if (clauses.length < 2 || full >= RELAX_BELOW) {
      const answer = fullHits();
      executor.release(found);
      return answer;
    }

    // Which clause each query term belongs to, to tell which clauses a partial match met.
    const clauseOf = this.clauseOfTerms(parsed);
    const clauseOfBit = [...bits.keys()].map((term) => clauseOf.get(term));
    const some: Query = { combineWith: 'OR', queries: clauses };
    const any = executor.run(some, options, bits);
    const termsOfSome = executor.termsOf(some, options);
    const partial: { id: number; score: number; matched: Set<number> }[] = [];
    const hits = new Array<number>(clauses.length).fill(0);
    for (const id of any.ids) {
      const matched = new Set<number>();
      for (let bit = 0, terms = any.terms[id]!; terms; bit++, terms >>>= 1) {
        const i = terms & 1 ? clauseOfBit[bit] : undefined;
        if (i !== undefined) matched.add(i);
      }
      for (const i of matched) hits[i]!++;
      if (!found.has(id)) partial.push({ id, score: any.score[id]! * any.quality(id), matched });
    }
    executor.release(any);
    const answer = fullHits();
    executor.release(found);
    const live = parsed.clauses.flatMap((clause, i) => (hits[i]! > 0 ? [i] : []));
    parsed.clauses.forEach((clause, i) => {
      if (hits[i] === 0) answer.ignored.push(clause.surface);
    });
    const required = live.filter((i) => this.isDiscriminating(parsed.clauses[i]!));
    const needed = Math.max(1, Math.ceil(live.length / 2));
    const ids = answer.ids;
    const scores: number[] = Array.from(answer.scores);
    const partialIds = new Set<number>();
    for (const { id, score, matched } of partial) {
      if (matched.size < needed || required.some((i) => !matched.has(i))) continue;
      // Every word that matches anything is there: as good as a full match of what can be honoured.
      const factor = matched.size === live.length ? 1 : RELAXED_SCORE * (matched.size / live.length);
      ids.push(id);
      scores.push(score * factor);
      partialIds.add(id);
    }
    return {
      ids,
      scores: Float64Array.from(scores),
      ignored: answer.ignored,
      indexTerms: (id) => (partialIds.has(id) ? termsOfSome(id) : termsOfEvery(id)),
    };
  }

  /** The answer of `searchWithMiniSearch` (external ids) by short id. */
  private hitsOfMatches({ matches, ignored }: TextSearchResult): TextHits {
    const ids: number[] = [];
    const scores: number[] = [];
    const terms = new Map<number, TextMatch>();
    for (const [id, match] of matches) {
      const short = this.shortIdOf(id)!;
      ids.push(short);
      scores.push(match.score);
      terms.set(short, match);
    }
    return {
      ids,
      scores: Float64Array.from(scores),
      ignored,
      indexTerms: (id) => (terms.get(id) as LazyMatch | undefined)?.indexTermsRaw() ?? null,
    };
  }

  /** The document behind a short id of `hits`. */
  externalId(shortId: number): string {
    return this.internals._documentIds.get(shortId) as string;
  }

  /** Matched index terms (still encoded) to the terms highlighting reads. */
  static decodeTerms(terms: string[] | null): string[] {
    return (terms ?? []).map(decodeTerm);
  }

  private clauseOfTerms(parsed: ParsedQuery): Map<string, number> {
    const clauseOf = new Map<string, number>();
    parsed.clauses.forEach((clause, i) => {
      const terms = [...clause.terms, ...clause.alternatives.flat(), ...clause.concepts];
      for (const term of terms) clauseOf.set(encodeTerm(term), i);
      if (clause.typed) clauseOf.set(clause.typed, i);
      if (clause.terms.length === 1) {
        for (const swap of adjacentTranspositions(clause.terms[0]!)) clauseOf.set(swap, i);
      }
    });
    return clauseOf;
  }

  /**
   * `search` through MiniSearch's own `search`, for a query of more distinct terms than the executor
   * keeps bits for (a long pasted title with its synonyms): slower, the same answer.
   */
  private searchWithMiniSearch(
    parsed: ParsedQuery,
    clauses: Query[],
    options: SearchOptions,
  ): TextSearchResult {
    const matches = new Map<string, TextMatch>();
    const ignored: string[] = [];
    for (const result of this.mini.search({ combineWith: 'AND', queries: clauses }, options))
      matches.set(result.id as string, new LazyMatch(result.score, result.terms));
    if (clauses.length < 2 || matches.size >= RELAX_BELOW) return { matches, ignored };
    const clauseOf = this.clauseOfTerms(parsed);
    const partial: { id: string; score: number; terms: string[]; matched: Set<number> }[] = [];
    const hits = new Array<number>(clauses.length).fill(0);
    for (const result of this.mini.search({ combineWith: 'OR', queries: clauses }, options)) {
      const matched = new Set<number>();
      for (const t of result.queryTerms) {
        const i = clauseOf.get(t);
        if (i !== undefined) matched.add(i);
      }
      for (const i of matched) hits[i]!++;
      if (!matches.has(result.id as string))
        partial.push({ id: result.id as string, score: result.score, terms: result.terms, matched });
    }
    const live = parsed.clauses.flatMap((clause, i) => (hits[i]! > 0 ? [i] : []));
    parsed.clauses.forEach((clause, i) => {
      if (hits[i] === 0) ignored.push(clause.surface);
    });
    const required = live.filter((i) => this.isDiscriminating(parsed.clauses[i]!));
    const needed = Math.max(1, Math.ceil(live.length / 2));
    for (const { id, score, terms, matched } of partial) {
      if (matched.size < needed || required.some((i) => !matched.has(i))) continue;
      const factor = matched.size === live.length ? 1 : RELAXED_SCORE * (matched.size / live.length);
      matches.set(id, new LazyMatch(score * factor, terms));
    }
    return { matches, ignored };
  }

  /** The MiniSearch query of each clause (`search` requires them all: `combineWith: 'AND'`). */
  clauseQueries(parsed: ParsedQuery, typing = false): Query[] {
    return parsed.clauses.map((clause) => this.clauseQuery(clause, typing));
  }

  searchOptions(fields?: IndexedField[]): SearchOptions {
    return fields ? { fields: [...fields, 'concepts'] } : {};
  }

  /**
   * The documents matching every clause, with MiniSearch's raw score (before its quality factor) — what
   * `mini.search` with `combineWith: 'AND'` computes, without scoring the common clauses over the whole
   * index: the clause expected to match fewest documents runs first, and each next one only scores the
   * documents still in the running. "xiaomi mobile phone" scores the phone words over Xiaomi's products
   * instead of every phone's. Scores are summed in the clauses' own order, as MiniSearch's AND does.
   */
  private matchEvery(
    parsedClauses: QueryClause[],
    clauses: Query[],
    options: SearchOptions,
    bits: Map<string, number>,
  ): Scores {
    const executor = this.executor;
    if (clauses.length === 1) return executor.run(clauses[0]!, options, bits);
    const estimates = parsedClauses.map((clause) => this.estimateMatches(clause));
    const order = clauses.map((_, i) => i).sort((a, b) => estimates[a]! - estimates[b]!);
    const results: Scores[] = [];
    let last: Scores | undefined;
    for (const i of order) {
      last = executor.run(clauses[i]!, options, bits, last);
      results[i] = last;
      if (!last.ids.length) break;
    }
    const combined = executor.empty();
    if (results.length === clauses.length && !results.includes(undefined as never))
      for (const id of last!.ids) {
        if (!results.every((result) => result.has(id))) continue;
        let score = results[0]!.score[id]!;
        let terms = results[0]!.terms[id]!;
        for (let c = 1; c < results.length; c++) {
          score = score + results[c]!.score[id]!;
          terms |= results[c]!.terms[id]!;
        }
        combined.add(id, score, terms);
      }
    for (const result of results) if (result) executor.release(result);
    return combined;
  }

  /**
   * A rough count of the documents a clause matches, only to order the clauses (cheapest first): the
   * largest field posting of each of its exact terms; a prefix or a typo expansion widens it.
   */
  private estimateMatches(clause: QueryClause): number {
    const postings = (term: string) => {
      let largest = 0;
      for (const docs of this.internals._index.get(term)?.values() ?? [])
        largest = Math.max(largest, docs.size);
      return largest;
    };
    let estimate = 0;
    for (const term of [...clause.terms, ...clause.alternatives.flat()])
      estimate += postings(encodeTerm(term));
    for (const concept of clause.concepts) estimate += postings(concept);
    if (clause.prefix || clause.fuzzy) estimate += this.mini.documentCount / 4;
    return estimate;
  }

  /**
   * The parts of MiniSearch 7 this class reads beyond its public API (declared private or protected in
   * its types): the raw query evaluation and the short id → id map. `text-index.test.ts` checks that
   * results through them equal `mini.search`'s, so an upgrade that changes them fails there.
   */
  private get internals(): MiniSearchInternals {
    return this.mini as unknown as MiniSearchInternals;
  }

  /** `typing`: autocomplete, where the last word is always a prefix ("app" → Apple). */
  private clauseQuery(clause: QueryClause, typing: boolean): Query {
    const own: Query[] = [];
    if (clause.terms.length === 1) {
      const term = clause.terms[0]!;
      // A word the catalog uses often is taken as typed: fuzzy-expanding "case" would add "cake" and
      // "cast" and cost a scan of the term tree on every query. Unknown and rare words get the typo budget.
      const fuzzy = (this.vocabulary.get(term) ?? 0) >= KNOWN_WORD_OCCURRENCES ? 0 : clause.fuzzy;
      own.push({ queries: [encodeTerm(term)], fuzzy: fuzzy || false, prefix: false });
      // The last word is a prefix only while it is not a complete word ("plans" is not "plantronics"),
      // matched as typed (a stemmer would read "candys" as "candi") on the short fields.
      if (clause.prefix && clause.typed && (typing || !this.isCompleteWord(clause.typed)))
        own.push({ queries: [clause.typed], fuzzy: false, prefix: true, fields: PREFIX_FIELDS });
      // Swapped letters count as one typo (Levenshtein would call "iphnoe" two edits from "iphone").
      if (fuzzy === 1) {
        const swaps = adjacentTranspositions(term).filter((t) => this.vocabulary.has(t));
        if (swaps.length) own.push({ combineWith: 'OR', queries: swaps, fuzzy: false, prefix: false });
      }
    } else {
      own.push({ combineWith: 'AND', queries: clause.terms.map(encodeTerm), fuzzy: false, prefix: false });
    }
    // Synonyms skip the description: they widen recall where it matters (names, categories,
    // attributes), and scoring common words over every description was most of a broad query's time.
    // They weigh below the typed word, shared among their words.
    const alternatives: Query[] = clause.alternatives.map((terms) => ({
      combineWith: 'AND',
      queries: terms.map(encodeTerm),
      fields: SYNONYM_FIELDS,
      boost: scaled(SYNONYM_FIELDS, SYNONYM_WEIGHT / terms.length),
      fuzzy: false,
      prefix: false,
    }));
    const concepts: Query[] = clause.concepts.length
      ? [{ combineWith: 'OR', queries: clause.concepts, fields: ['concepts'], fuzzy: false, prefix: false }]
      : [];
    return { combineWith: 'OR', queries: [...own, ...alternatives, ...concepts] };
  }
}
