import { Client } from '@elastic/elasticsearch';
import type { Logger } from '@market/core/logger';
import type { SearchDocument, SearchEngine, SearchQuery, SearchResult, Suggestion } from '../types';
import { buildDeleteOperations, buildIndexOperations, writeChunk, type BulkOptions } from './bulk';
import { createIndexManager, type ReindexResult } from './index-manager';
import {
  buildClauseCountRequest,
  buildCountQuery,
  buildSearchRequest,
  KNOWN_WORD_DOCUMENTS,
  MATCHED_AGGREGATION,
  planText,
  prefixWord,
  RANKING,
  relaxPlan,
  type TextPlan,
} from './query';
import { parseDidYouMean, parseFacets, parseHits, totalOf } from './response';
import { buildIndexDefinition, SEARCH_TEXT_FIELD, type ChineseAnalysis } from './settings';
import { buildSuggestRequest, parseSuggestions } from './suggest';

export interface ElasticsearchEngineOptions {
  url: string;
  /** Alias name; concrete indices are `<prefix>_v<timestamp>`. Default `products`. */
  indexPrefix?: string;
  log?: Logger;
  /** A ready client (tests, custom transport); the engine then leaves closing it to the caller. */
  client?: Client;
  /** Chinese tokenization; `smartcn` and `ik` need their plugin on the cluster (see search/README.md). */
  chinese?: ChineseAnalysis;
  bulk?: BulkOptions;
}

export interface ElasticsearchEngine extends SearchEngine {
  readonly alias: string;
  /** Resolves once the alias and its index exist (created on first start); every call awaits it too. */
  ready(): Promise<void>;
  /** Rebuilds into a new index version and moves the alias to it when complete (zero downtime). */
  reindex(
    source: AsyncIterable<SearchDocument> | Iterable<SearchDocument>,
    options?: ReindexOptions,
  ): Promise<ReindexResult>;
  /**
   * Moves the alias back to the version a `reindex(…, { keepPrevious: true })` left behind, atomically,
   * and deletes the version it leaves. Documents written since the swap are not in the older version:
   * run the indexer's `catchUp()` after it.
   */
  rollback(): Promise<{ index: string; previous: string[] }>;
  /** The concrete index the alias points at (normally one). */
  currentIndices(): Promise<string[]>;
  /** Deletes the alias and every index version (tests, tear-down). */
  drop(): Promise<void>;
}

export interface ReindexOptions {
  /** Called with the number of documents written so far, after each bulk request. */
  onProgress?: (done: number) => void;
  /** Keep the version the alias leaves, so `rollback()` can return to it. */
  keepPrevious?: boolean;
}

/** Documents per bulk request from `upsert` / `remove`. */
const WRITE_CHUNK = 500;

/**
 * The Elasticsearch adapter of the search port. Synchronous to build (like the embedded engine) —
 * the index is created on first use, and `ready()` lets start-up wait for it and fail early.
 */
export function createElasticsearchEngine(options: ElasticsearchEngineOptions): ElasticsearchEngine {
  const log = options.log;
  const ownsClient = !options.client;
  const client = options.client ?? new Client({ node: options.url, maxRetries: 3, requestTimeout: 30_000 });
  const manager = createIndexManager({
    client,
    prefix: options.indexPrefix ?? 'products',
    definition: buildIndexDefinition({ chinese: options.chinese }),
    log,
  });
  const alias = manager.names.alias;
  const bulkOptions: BulkOptions = { ...options.bulk, log };

  let readyPromise: Promise<void> | null = null;
  function ready(): Promise<void> {
    readyPromise ??= manager.ensureIndex().then(
      () => undefined,
      (err: unknown) => {
        readyPromise = null; // let the next call try again
        throw err;
      },
    );
    return readyPromise;
  }

  /** While a reindex loads a new version, live writes go to it as well (external versions keep order). */
  const reindexTargets = new Set<string>();
  const writeTargets = () => [alias, ...reindexTargets];

  async function write(build: (index: string) => ReturnType<typeof buildIndexOperations>, count: number) {
    await ready();
    if (!count) return;
    for (const index of writeTargets()) {
      const operations = build(index);
      // Index lines come in pairs (action, document); deletes are single lines.
      const linesPerItem = operations.length / count;
      for (let i = 0; i < count; i += WRITE_CHUNK) {
        await writeChunk(
          client,
          operations.slice(i * linesPerItem, (i + WRITE_CHUNK) * linesPerItem),
          bulkOptions,
        );
      }
    }
  }

  async function reindex(
    source: AsyncIterable<SearchDocument> | Iterable<SearchDocument>,
    reindexOptions: ReindexOptions = {},
  ): Promise<ReindexResult> {
    await ready();
    try {
      return await manager.reindex(source, {
        ...bulkOptions,
        ...reindexOptions,
        onIndexCreated: (index) => reindexTargets.add(index),
      });
    } finally {
      reindexTargets.clear();
    }
  }

  /**
   * The query as clauses, with the last word a prefix only while it is not a complete word: a lexicon word,
   * or one that KNOWN_WORD_DOCUMENTS products use as a whole word (one count request, only for a last word
   * the lexicon does not know).
   */
  async function planOf(q: string): Promise<TextPlan | null> {
    const plan = planText(q);
    const word = plan?.lastIsPrefix ? prefixWord(plan) : null;
    if (!plan || !word) return plan;
    const uses = await client.count({
      index: alias,
      query: { term: { [`${SEARCH_TEXT_FIELD}.prefix`]: word } },
      terminate_after: KNOWN_WORD_DOCUMENTS,
    });
    return uses.count >= KNOWN_WORD_DOCUMENTS ? { ...plan, lastIsPrefix: false } : plan;
  }

  async function correctionFinds(text: string, query: SearchQuery): Promise<boolean> {
    const response = await client.count({ index: alias, query: buildCountQuery(text, query.filters) });
    return response.count > 0;
  }

  return {
    name: 'elasticsearch',
    alias,
    ready,

    async upsert(documents: SearchDocument[]) {
      await write((index) => buildIndexOperations(index, documents), documents.length);
    },

    async remove(ids: string[]) {
      await write((index) => buildDeleteOperations(index, ids), ids.length);
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      await ready();
      const started = performance.now();
      let plan = await planOf(query.q);
      let response = await client.search<SearchDocument>({
        index: alias,
        ...buildSearchRequest(query, plan),
      });
      let total = totalOf(response.hits.total);
      let ignored: string[] = [];
      const matched = (response.aggregations?.[MATCHED_AGGREGATION] as { doc_count?: number } | undefined)
        ?.doc_count;
      if (plan && (matched ?? total) < RANKING.relaxBelow && plan.clauses.length >= 2) {
        // Few products have every word: add those with half of them, below (see RANKING.relaxBelow),
        // never without a brand or kind the query names — unless it matches nothing: then it is left
        // out and reported.
        const counts = await client.search({ index: alias, ...buildClauseCountRequest(plan) });
        const relaxed = relaxPlan(plan, counts.aggregations);
        ignored = relaxed.ignored;
        if (relaxed.plan.relaxed!.live.length) {
          plan = relaxed.plan;
          response = await client.search<SearchDocument>({
            index: alias,
            ...buildSearchRequest(query, plan),
          });
          total = totalOf(response.hits.total);
        }
      }
      let didYouMean: string | null = null;
      if (total === 0 && query.q.trim()) {
        const correction = parseDidYouMean(response.suggest, query.q);
        if (correction && (await correctionFinds(correction, query))) didYouMean = correction;
      }
      return {
        total,
        hits: parseHits(response.hits.hits),
        facets: parseFacets(response.aggregations),
        didYouMean,
        correctedQuery:
          total > 0 && query.q.trim() ? parseDidYouMean(response.suggest, query.q, 'corrected') : null,
        ignored,
        tookMs: Math.round(performance.now() - started),
      };
    },

    async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
      if (!prefix.trim() || limit <= 0) return [];
      await ready();
      const response = await client.search<Pick<SearchDocument, 'id' | 'name' | 'nameZh'>>({
        index: alias,
        ...buildSuggestRequest(prefix, limit),
      });
      return parseSuggestions(response.hits.hits, prefix, limit);
    },

    async versions(): Promise<Map<string, number>> {
      await ready();
      const versions = new Map<string, number>();
      // search_after over the `id` sort: no result window limit, no scroll context to clean up.
      let after: (string | number)[] | undefined;
      for (;;) {
        const response = await client.search({
          index: alias,
          size: 5000,
          _source: false,
          docvalue_fields: ['version'],
          sort: [{ id: { order: 'asc' } }],
          ...(after ? { search_after: after } : {}),
        });
        const hits = response.hits.hits;
        for (const hit of hits) {
          const version = hit.fields?.version?.[0];
          if (hit._id && typeof version === 'number') versions.set(hit._id, version);
        }
        const last = hits.at(-1);
        if (hits.length < 5000 || !last?.sort) return versions;
        after = last.sort as (string | number)[];
      }
    },

    async refresh() {
      await ready();
      await client.indices.refresh({ index: alias });
    },

    async stats() {
      await ready();
      const [count, indexStats] = await Promise.all([
        client.count({ index: alias }),
        client.indices.stats({ index: alias, metric: ['store'] }),
      ]);
      return {
        engine: 'elasticsearch',
        documents: count.count,
        sizeBytes: indexStats._all.primaries?.store?.size_in_bytes ?? null,
      };
    },

    async health() {
      try {
        await ready();
        const health = await client.cluster.health({ index: alias, timeout: '5s' });
        return health.status === 'red'
          ? { ok: false, detail: `index ${alias} is red` }
          : { ok: true, detail: `${health.cluster_name}: ${health.status}` };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },

    /**
     * Empties the index by moving the alias to a fresh empty version. A delete-by-query would leave
     * version tombstones behind, and external versioning would then reject re-adding the same versions.
     */
    async clear() {
      await ready();
      await reindex([]);
    },

    reindex,

    async rollback() {
      await ready();
      return manager.rollback();
    },

    currentIndices: () => manager.currentIndices(),

    async drop() {
      await manager.dropAll();
      readyPromise = null;
    },

    async close() {
      if (ownsClient) await client.close();
    },
  };
}
