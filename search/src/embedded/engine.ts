import type { Logger } from '@market/core/logger';
import {
  foldPhrase,
  highlightFragment,
  highlightTermsOf,
  highlightText,
  isHan,
  parseQuery,
  type ParsedQuery,
} from '../analysis';
import type {
  SearchDocument,
  SearchEngine,
  SearchHit,
  SearchQuery,
  SearchResult,
  SearchStats,
  Suggestion,
} from '../types';
import { correctQuery, understoodQuery } from './did-you-mean';
import { FacetColumns } from './facets';
import { COMPARATORS, firstK, firstKByRelevance, relevance, type Ranked } from './ranking';
import { readSnapshot, writeSnapshot } from './snapshot';
import { buildSuggestions } from './suggest';
import { SUGGEST_FIELDS, TextIndex, type TextHits } from './text-index';

export interface EmbeddedSearchOptions {
  /** Where the index is persisted; loaded on creation when present, written by snapshot() and close(). */
  snapshotPath?: string;
  log?: Logger;
  /** Answers kept for repeated searches (0 turns the cache off). Default 2,000. */
  resultCacheSize?: number;
}

const RESULT_CACHE_SIZE = 2_000;

/**
 * Recent answers, least recently used out first. Shoppers repeat searches (the same category words, the
 * same pages, facets ticked and unticked), and at 100k products a broad query costs tens of milliseconds
 * of scoring, so a repeat is answered from here. Any write empties it: a cached answer is never older
 * than the index.
 */
class ResultCache {
  private readonly entries = new Map<string, SearchResult>();
  constructor(private readonly capacity: number) {}

  static key(query: SearchQuery): string {
    const f = query.filters ?? {};
    const sorted = (values?: readonly string[]) => (values?.length ? [...values].sort().join(',') : '');
    return [
      // As typed: a trailing space makes the last word complete ("plantr " is not a prefix).
      query.q,
      query.sort,
      query.page,
      query.pageSize,
      sorted(f.categoryIds),
      sorted(f.brands),
      sorted(f.shopIds),
      sorted(f.priceBuckets),
      f.minRating ?? '',
      f.inStock ?? '',
    ].join('\u0000');
  }

  /** A copy the caller may change (the web layer relabels facets and reorders hits). */
  get(key: string): SearchResult | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return { ...hit, hits: [...hit.hits], facets: { ...hit.facets }, ignored: [...hit.ignored] };
  }

  set(key: string, result: SearchResult): void {
    if (!this.capacity) return;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, {
      ...result,
      hits: [...result.hits],
      facets: { ...result.facets },
      ignored: [...result.ignored],
    });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The embedded engine: documents in a Map, full text in MiniSearch, filters/facets/sorts in plain JS. */
export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = 'embedded';
  private docs = new Map<string, SearchDocument>();
  /** The same documents' facet fields as typed columns, for filtering and counting. */
  private readonly columns = new FacetColumns();
  /** The text score of each matched document of the search being answered, by slot (reused). */
  private textScores = new Float64Array(0);
  /** The slot of each short id of the text index, -1 where not looked up yet (see `slotOfShortId`). */
  private slotByShortId = new Int32Array(0);
  /** Name and Chinese name folded to words, for the exact-phrase boost. */
  private readonly phrases: string[] = [];
  private text = new TextIndex();
  private dirty = false;
  private closed = false;
  /** Loading a snapshot is asynchronous; every operation waits for it so the factory can stay synchronous. */
  private readonly ready: Promise<void>;
  /** Answers by query, filters, sort and page; emptied by every write, so it never outlives a change. */
  private readonly results: ResultCache;

  constructor(private readonly options: EmbeddedSearchOptions = {}) {
    this.results = new ResultCache(options.resultCacheSize ?? RESULT_CACHE_SIZE);
    this.ready = options.snapshotPath ? this.load(options.snapshotPath) : Promise.resolve();
  }

  private async load(file: string): Promise<void> {
    const started = performance.now();
    try {
      const snapshot = await readSnapshot(file);
      if (!snapshot) return;
      this.text = TextIndex.fromJSON(snapshot.indexJson, snapshot.vocabularies);
      for (const doc of snapshot.documents) this.remember(doc);
      this.options.log?.info(
        { documents: this.docs.size, ms: Math.round(performance.now() - started) },
        'search snapshot loaded',
      );
    } catch (error) {
      // A broken snapshot is not fatal: the index starts empty and the indexer catches up from the database.
      this.options.log?.warn({ err: error, file }, 'search snapshot unreadable; starting empty');
      this.docs.clear();
      this.columns.clear();
      this.phrases.length = 0;
      this.text = new TextIndex();
      this.slotByShortId = new Int32Array(0);
    }
  }

  /** Keeps a document the text index has just taken in. */
  private remember(doc: SearchDocument): void {
    this.docs.set(doc.id, doc);
    const slot = this.columns.set(doc);
    this.phrases[slot] = ` ${foldPhrase(doc.name)} | ${foldPhrase(doc.nameZh)} `;
    const short = this.text.shortIdOf(doc.id);
    if (short !== undefined) this.rememberSlot(short, slot);
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    await this.ready;
    const accepted = new Map<string, SearchDocument>();
    for (const doc of documents) {
      const stored = accepted.get(doc.id) ?? this.docs.get(doc.id);
      if (stored && stored.version > doc.version) continue;
      accepted.set(doc.id, doc);
    }
    if (!accepted.size) return;
    this.text.putMany([...accepted.values()]);
    for (const doc of accepted.values()) this.remember(doc);
    this.results.clear();
    this.dirty = true;
  }

  async remove(ids: string[]): Promise<void> {
    await this.ready;
    for (const id of ids) {
      if (!this.docs.delete(id)) continue;
      this.columns.delete(id);
      this.text.delete(id);
      this.results.clear();
      this.dirty = true;
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    await this.ready;
    const started = performance.now();
    const key = ResultCache.key(query);
    const cached = this.results.get(key);
    if (cached) return { ...cached, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    const result = this.run(query);
    let didYouMean: string | null = null;
    if (result.total === 0 && result.textMatches === 0 && result.parsed) {
      const corrected = correctQuery(result.parsed, this.text.vocabulary);
      // Only whether the correction finds anything: no ranking, no page.
      if (corrected && this.matchAndFilter(corrected, query.filters).matched.length > 0)
        didYouMean = corrected;
    }
    const correctedQuery =
      result.total > 0 && result.parsed
        ? understoodQuery(result.parsed, this.text.vocabularies, result.matchedTerms)
        : null;
    const answer: SearchResult = {
      total: result.total,
      hits: result.hits,
      facets: result.facets,
      didYouMean,
      correctedQuery,
      ignored: result.ignored,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    };
    this.results.set(key, answer);
    return answer;
  }

  private run(query: SearchQuery) {
    const { parsed, hits, matched, facets, ignored } = this.matchAndFilter(query.q, query.filters);
    const documents = this.columns.documents;
    const textScores = this.textScores;
    const pageSize = Math.max(1, Math.floor(query.pageSize));
    const start = (Math.max(1, Math.floor(query.page)) - 1) * pageSize;
    let page: Ranked[];
    if (query.sort === 'relevance' || !COMPARATORS[query.sort]) {
      const text = hits ? (slot: number) => textScores[slot]! : () => 1;
      const phrase = hits && parsed?.phrase ? (slot: number) => this.isPhraseMatch(slot, parsed) : null;
      const first = firstKByRelevance(matched, start + pageSize, this.columns, text, phrase);
      page = first.slots
        .slice(start)
        .map((slot, i) => ({ doc: documents[slot]!, score: first.scores[start + i]! }));
    } else {
      const ranked: Ranked[] = matched.map((slot) => {
        const doc = documents[slot]!;
        return {
          doc,
          score:
            hits && parsed
              ? relevance(textScores[slot]!, doc, this.isPhraseMatch(slot, parsed))
              : relevance(1, doc, false),
        };
      });
      page = firstK(ranked, start + pageSize, COMPARATORS[query.sort]).slice(start);
    }
    const termsOf = (doc: SearchDocument): string[] | undefined => {
      const short = hits && this.text.shortIdOf(doc.id);
      return short === undefined || short === null
        ? undefined
        : TextIndex.decodeTerms(hits!.indexTerms(short));
    };
    const pageTerms = page.map((r) => termsOf(r.doc));
    const hitsOfPage = page.map((r, i) => this.hitOf(r, pageTerms[i], parsed));
    const matchedTerms = new Set(pageTerms.flatMap((terms) => terms ?? []));
    return {
      total: matched.length,
      hits: hitsOfPage,
      matchedTerms,
      facets,
      parsed,
      ignored,
      textMatches: hits?.ids.length ?? this.docs.size,
    };
  }

  /** The text matches of `q` that pass the filters (as slots), with the facet counts. */
  private matchAndFilter(q: string, filters: SearchQuery['filters'] = {}) {
    // A query of punctuation only has no words to match: it browses, like an empty one.
    const words = q.trim() ? parseQuery(q) : null;
    const parsed = words?.clauses.length ? words : null;
    const hits = parsed ? this.text.hits(parsed) : null;
    const candidates = hits ? this.slotsOf(hits) : this.columns.allSlots();
    const { matched, facets } = this.columns.filterAndCount(candidates, filters);
    return { parsed, hits, matched, facets, ignored: hits?.ignored ?? [] };
  }

  /** The slots of the matched documents; their text scores go to `textScores`, by slot. */
  private slotsOf(hits: TextHits): number[] {
    if (this.textScores.length < this.columns.capacity)
      this.textScores = new Float64Array(this.columns.capacity + (this.columns.capacity >> 3));
    const slots: number[] = [];
    const { ids, scores } = hits;
    for (let i = 0; i < ids.length; i++) {
      const slot = this.slotOfShortId(ids[i]!);
      if (slot < 0) continue;
      slots.push(slot);
      this.textScores[slot] = scores[i]!;
    }
    return slots;
  }

  /**
   * The facet slot of a text index short id, remembered in a typed array: a short id names one version
   * of one document for as long as it is live (a replaced document gets a new one, its slot stays), and
   * the text index only answers live ones. Emptied when the text index starts over (`clear`).
   */
  private slotOfShortId(short: number): number {
    const known = short < this.slotByShortId.length ? this.slotByShortId[short]! : -1;
    if (known >= 0) return known;
    const slot = this.columns.slot(this.text.externalId(short));
    if (slot === undefined) return -1;
    this.rememberSlot(short, slot);
    return slot;
  }

  private rememberSlot(short: number, slot: number): void {
    if (short >= this.slotByShortId.length) {
      const bigger = new Int32Array(Math.max(1024, short + 1 + (short >> 2))).fill(-1);
      bigger.set(this.slotByShortId);
      this.slotByShortId = bigger;
    }
    this.slotByShortId[short] = slot;
  }

  private isPhraseMatch(slot: number, parsed: ParsedQuery): boolean {
    if (!parsed.phrase) return false;
    const haystack = this.phrases[slot] ?? '';
    return isHan(parsed.phrase) ? haystack.includes(parsed.phrase) : haystack.includes(` ${parsed.phrase} `);
  }

  private hitOf(ranked: Ranked, matchedTerms: string[] | undefined, parsed: ParsedQuery | null): SearchHit {
    const { doc } = ranked;
    const last = parsed?.clauses.at(-1);
    const terms = highlightTermsOf(matchedTerms ?? [], last?.prefix ? last.terms : []);
    const highlights: SearchHit['highlights'] = {
      name: highlightText(doc.name, terms),
      nameZh: highlightText(doc.nameZh, terms),
    };
    if (matchedTerms) {
      const brand = highlightText(doc.brand, terms);
      if (brand.includes('<mark>')) highlights.brand = brand;
      // A passage of the first description with a match (the Chinese one only when the English has
      // none), as the Elasticsearch adapter's one 160-character fragment.
      const description =
        highlightFragment(doc.description, terms) ?? highlightFragment(doc.descriptionZh, terms);
      if (description) highlights.description = description;
    }
    return { id: doc.id, score: Math.round(ranked.score * 1000) / 1000, document: doc, highlights };
  }

  async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
    await this.ready;
    if (!prefix.trim()) return [];
    const parsed = parseQuery(prefix);
    return buildSuggestions(
      parsed,
      this.text.search(parsed, SUGGEST_FIELDS, true).matches,
      this.docs,
      prefix,
      limit,
    );
  }

  async versions(): Promise<Map<string, number>> {
    await this.ready;
    return new Map([...this.docs].map(([id, doc]) => [id, doc.version]));
  }

  async refresh(): Promise<void> {
    await this.ready; // always fresh: writes are visible as soon as upsert returns
  }

  async stats(): Promise<SearchStats> {
    await this.ready;
    return { engine: this.name, documents: this.docs.size, sizeBytes: null };
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    await this.ready;
    return this.closed
      ? { ok: false, detail: 'closed' }
      : { ok: true, detail: `${this.docs.size} documents in process` };
  }

  async clear(): Promise<void> {
    await this.ready;
    this.docs.clear();
    this.columns.clear();
    this.phrases.length = 0;
    this.text.clear();
    this.slotByShortId = new Int32Array(0);
    this.results.clear();
    this.dirty = true;
  }

  /** Writes the snapshot now (to `snapshotPath`, or `file`); returns its size in bytes. */
  async snapshot(file = this.options.snapshotPath): Promise<number> {
    await this.ready;
    if (!file) throw new Error('no snapshot path configured for the embedded search engine');
    const size = await writeSnapshot(file, {
      vocabularies: this.text.vocabularies,
      indexJson: this.text.toJSON(),
      documents: this.docs.values(),
      count: this.docs.size,
    });
    if (file === this.options.snapshotPath) this.dirty = false;
    return size;
  }

  async close(): Promise<void> {
    await this.ready;
    if (this.closed) return;
    this.closed = true;
    if (this.dirty && this.options.snapshotPath) await this.snapshot();
  }
}
