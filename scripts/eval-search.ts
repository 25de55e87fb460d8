/**
 * `npm run eval:search`: relevance on the judged Best Buy queries (search/eval/judged-queries.json) of the
 * embedded engine and — side by side, on the same queries — of the Elasticsearch adapter on a real Lucene
 * engine, against a plain BM25 baseline over the same fields. Prints NDCG@10 and recall@50 overall and per
 * query type, and each engine's ten worst queries, as markdown.
 *
 *   npm run eval:search                       embedded engine and BM25
 *   npm run eval:search -- --opensearch       … and the adapter on an OpenSearch node started for the run
 *   ELASTICSEARCH_URL=… npm run eval:search   … and the adapter on that cluster (an index of its own,
 *                                             deleted afterwards)
 *   npm run eval:search -- --semantic         … and semantic retrieval (multilingual-e5-small from
 *                                             `npm run setup:embeddings`, or EMBEDDINGS_URL): vectors
 *                                             alone, and blended with the embedded engine by reciprocal
 *                                             rank fusion; with the embedding and vector-search costs
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Bm25Index,
  type CorpusName,
  englishOnly,
  gradesOf,
  JUDGED_QUERIES_FILE,
  type JudgedQuery,
  type JudgedQueryFile,
  loadEvalCorpus,
  ndcgAt,
  type QueryType,
  recallAt,
} from '@market/search/eval';
import { loadavg } from 'node:os';
import {
  createElasticsearchEngine,
  createEmbeddedSearchEngine,
  type SearchDocument,
  type SearchEngine,
} from '@market/search';
import { startOpenSearch, type OpenSearchForTests } from '../tests/support/opensearch';
import { evaluateSemantic, type SemanticRun } from './eval-semantic';

const PAGE_SIZE = 50;
const TYPES: QueryType[] = [
  'exact',
  'brand_type',
  'typo',
  'prefix',
  'category',
  'chinese',
  'cross_language',
  'brand',
  'accessory_device',
  'last_word',
  'synonym',
];

interface Scored {
  ndcg: number;
  recall: number;
  top: string[];
}

interface EngineRun {
  label: string;
  /** Column heading. */
  column: string;
  indexMs: number;
  /** Per judged query, in file order. */
  scores: Scored[];
  latencies: number[];
}

/** One engine per copy of the catalog (the bilingual demo listings, the English-only ones). */
async function evaluate(
  label: string,
  engines: Record<CorpusName, SearchEngine>,
  corpora: Record<CorpusName, SearchDocument[]>,
  queries: JudgedQuery[],
): Promise<EngineRun> {
  const started = performance.now();
  for (const name of ['bilingual', 'english'] as const) {
    await engines[name].upsert(corpora[name]);
    await engines[name].refresh();
  }
  const indexMs = performance.now() - started;
  const scores: Scored[] = [];
  const latencies: number[] = [];
  const engineOf = (query: JudgedQuery) => engines[query.corpus ?? 'bilingual'];
  // One untimed pass first: a JVM that just started compiles its hot paths on the first queries.
  for (const query of queries)
    await engineOf(query).search({
      q: query.q,
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: PAGE_SIZE,
    });
  for (const query of queries) {
    const grades = gradesOf(query);
    const t0 = performance.now();
    const result = await engineOf(query).search({
      q: query.q,
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: PAGE_SIZE,
    });
    latencies.push(performance.now() - t0);
    const ranked = result.hits.map((h) => h.id);
    scores.push({
      ndcg: ndcgAt(10, ranked, grades),
      recall: recallAt(PAGE_SIZE, ranked, grades),
      top: ranked,
    });
  }
  return { label, column: label, indexMs, scores, latencies: latencies.sort((a, b) => a - b) };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const f = (n: number) => n.toFixed(3);
const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const cell = (text: string) => text.replace(/\|/g, '\\|');

async function main() {
  const useOpenSearch = process.argv.includes('--opensearch');
  const clusterUrl = process.env.ELASTICSEARCH_URL;
  const judged = JSON.parse(readFileSync(JUDGED_QUERIES_FILE, 'utf8')) as JudgedQueryFile;
  const corpus = loadEvalCorpus();
  if (corpus.length !== judged.corpus.products) {
    throw new Error(
      `the judgments were built for ${judged.corpus.products} products, the catalog has ${corpus.length}: ` +
        'run `node --import tsx search/eval/build-judgments.ts`',
    );
  }
  const documents = corpus.map((p) => p.document);
  const corpora: Record<CorpusName, SearchDocument[]> = {
    bilingual: documents,
    english: documents.map(englishOnly),
  };
  const names = new Map(documents.map((d) => [d.id, d.name]));
  const queries = judged.queries;

  const runs: EngineRun[] = [];
  // No result cache: the warm timings are of the engine, not of answers it kept from the first pass.
  const embedded = {
    bilingual: createEmbeddedSearchEngine({ resultCacheSize: 0 }),
    english: createEmbeddedSearchEngine({ resultCacheSize: 0 }),
  };
  runs.push(await evaluate('embedded', embedded, corpora, queries));
  let semantic: SemanticRun | null = null;
  if (process.argv.includes('--semantic') || process.env.EMBEDDINGS_URL) {
    semantic = await evaluateSemantic({ engines: embedded, corpora, queries, pageSize: PAGE_SIZE });
  }
  await Promise.all(Object.values(embedded).map((e) => e.close()));

  let opensearch: OpenSearchForTests | null = null;
  let luceneLabel = '';
  if (useOpenSearch || clusterUrl) {
    if (useOpenSearch) {
      console.error('starting OpenSearch …');
      opensearch = await startOpenSearch();
    }
    const url = opensearch?.url ?? clusterUrl!;
    luceneLabel = opensearch ? 'OpenSearch 2.19 (Lucene)' : 'Elasticsearch adapter';
    const run = randomBytes(4).toString('hex');
    const engines = {
      bilingual: createElasticsearchEngine({ url, indexPrefix: `eval_${run}_bi` }),
      english: createElasticsearchEngine({ url, indexPrefix: `eval_${run}_en` }),
    };
    try {
      await Promise.all(Object.values(engines).map((e) => e.ready()));
      runs.push({ ...(await evaluate('lucene', engines, corpora, queries)), column: luceneLabel });
    } finally {
      for (const engine of Object.values(engines)) {
        await engine.drop().catch(() => undefined);
        await engine.close();
      }
      await opensearch?.close();
    }
  }

  const bm25 = { bilingual: new Bm25Index(corpora.bilingual), english: new Bm25Index(corpora.english) };
  const baseline = queries.map((query) => {
    const grades = gradesOf(query);
    const ranked = bm25[query.corpus ?? 'bilingual'].search(query.q, PAGE_SIZE);
    return { ndcg: ndcgAt(10, ranked, grades), recall: recallAt(PAGE_SIZE, ranked, grades), top: ranked };
  });

  const scoreOf = (ranked: string[], query: JudgedQuery): Scored => {
    const grades = gradesOf(query);
    return { ndcg: ndcgAt(10, ranked, grades), recall: recallAt(PAGE_SIZE, ranked, grades), top: ranked };
  };
  const ranked: { column: string; scores: Scored[] }[] = [...runs];
  if (semantic) {
    ranked.push({
      column: 'embedded + e5 (RRF)',
      scores: semantic.blended.map((r, i) => scoreOf(r, queries[i]!)),
    });
    ranked.push({
      column: 'embedded, then e5',
      scores: semantic.appended.map((r, i) => scoreOf(r, queries[i]!)),
    });
    ranked.push({ column: 'e5 alone', scores: semantic.vectorOnly.map((r, i) => scoreOf(r, queries[i]!)) });
  }
  const columns = [...ranked.map((r) => r.column), 'BM25'];
  const all = [...ranked.map((r) => r.scores), baseline];
  const row = (label: string, indices: number[]) => {
    const ndcg = all.map((s) => f(mean(indices.map((i) => s[i]!.ndcg))));
    const recall = all.map((s) => f(mean(indices.map((i) => s[i]!.recall))));
    return `| ${label} | ${indices.length} | ${ndcg.join(' | ')} | ${recall.join(' | ')} |`;
  };

  console.log(`## Search relevance: ${columns.join(' vs ')}\n`);
  console.log(
    `${documents.length} products (real Best Buy listings of the demo catalog), ${queries.length} judged queries; ` +
      '`cross_language` and `brand` run on the same products listed in English only.',
  );
  for (const r of runs)
    console.log(
      `- ${r.column}: indexed in ${r.indexMs.toFixed(0)} ms; query (warm) p50 ` +
        `${pct(r.latencies, 0.5).toFixed(1)} ms, p99 ${pct(r.latencies, 0.99).toFixed(1)} ms`,
    );
  console.log(
    `\n| query type | queries | ${columns.map((c) => `NDCG@10 ${c}`).join(' | ')} | ${columns.map((c) => `recall@50 ${c}`).join(' | ')} |`,
  );
  console.log(`| --- | ---: |${' ---: |'.repeat(columns.length * 2)}`);
  for (const type of TYPES) {
    const indices = queries.flatMap((q, i) => (q.type === type ? [i] : []));
    if (indices.length) console.log(row(type, indices));
  }
  console.log(
    row(
      '**all**',
      queries.map((_, i) => i),
    ),
  );

  if (semantic) {
    console.log(
      `\n### Semantic retrieval: cost (load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})\n`,
    );
    for (const line of semantic.cost) console.log(`- ${line}`);
  }

  for (const [k, r] of ranked.entries()) {
    console.log(`\n### The 10 worst queries of ${columns[k]} (NDCG@10)\n`);
    console.log(`| id | type | query | NDCG@10 | NDCG@10 BM25 | first result |`);
    console.log('| --- | --- | --- | ---: | ---: | --- |');
    const worst = queries
      .map((query, i) => ({ query, score: r.scores[i]!, bm25: baseline[i]! }))
      .sort((a, b) => a.score.ndcg - b.score.ndcg || a.query.id.localeCompare(b.query.id));
    for (const o of worst.slice(0, 10)) {
      const first = o.score.top[0];
      const label = first
        ? `${names.get(first) ?? first} (grade ${gradesOf(o.query).get(first) ?? 0})`
        : '— no results —';
      console.log(
        `| ${o.query.id} | ${o.query.type} | ${cell(o.query.q)} | ${f(o.score.ndcg)} | ${f(o.bm25.ndcg)} | ${cell(label)} |`,
      );
    }
  }
}

await main();
