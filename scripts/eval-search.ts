/**
 * `npm run eval:search`: relevance of the embedded search engine on the judged Best Buy queries
 * (search/eval/judged-queries.json), against a plain BM25 baseline over the same fields. Prints NDCG@10
 * and recall@50 overall and per query type, and the ten worst queries, as markdown.
 */
import { readFileSync } from 'node:fs';
import { Bm25Index } from '../search/eval/bm25';
import type { JudgedQuery, JudgedQueryFile, QueryType } from '../search/eval/build-judgments';
import { loadEvalCorpus } from '../search/eval/corpus';
import { gradesOf, ndcgAt, recallAt } from '../search/eval/metrics';
import { createEmbeddedSearchEngine } from '../search/src/embedded/index';

const JUDGMENTS = new URL('../search/eval/judged-queries.json', import.meta.url);
const PAGE_SIZE = 50;
const TYPES: QueryType[] = ['exact', 'brand_type', 'typo', 'prefix', 'category', 'chinese'];

interface Outcome {
  query: JudgedQuery;
  engine: { ndcg: number; recall: number; top: string[] };
  bm25: { ndcg: number; recall: number };
}

async function main() {
  const judged = JSON.parse(readFileSync(JUDGMENTS, 'utf8')) as JudgedQueryFile;
  const corpus = loadEvalCorpus();
  if (corpus.length !== judged.corpus.products) {
    throw new Error(
      `the judgments were built for ${judged.corpus.products} products, the catalog has ${corpus.length}: ` +
        'run `node --import tsx search/eval/build-judgments.ts`',
    );
  }
  const documents = corpus.map((p) => p.document);
  const names = new Map(documents.map((d) => [d.id, d.name]));

  const engine = createEmbeddedSearchEngine();
  const started = performance.now();
  await engine.upsert(documents);
  await engine.refresh();
  const indexMs = performance.now() - started;
  const bm25 = new Bm25Index(documents);

  const outcomes: Outcome[] = [];
  const latencies: number[] = [];
  for (const query of judged.queries) {
    const grades = gradesOf(query);
    const t0 = performance.now();
    const result = await engine.search({
      q: query.q,
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: PAGE_SIZE,
    });
    latencies.push(performance.now() - t0);
    const ranked = result.hits.map((h) => h.id);
    const baseline = bm25.search(query.q, PAGE_SIZE);
    outcomes.push({
      query,
      engine: { ndcg: ndcgAt(10, ranked, grades), recall: recallAt(PAGE_SIZE, ranked, grades), top: ranked },
      bm25: { ndcg: ndcgAt(10, baseline, grades), recall: recallAt(PAGE_SIZE, baseline, grades) },
    });
  }
  await engine.close();

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const f = (n: number) => n.toFixed(3);
  const row = (label: string, list: Outcome[]) => {
    const e10 = mean(list.map((o) => o.engine.ndcg));
    const b10 = mean(list.map((o) => o.bm25.ndcg));
    const e50 = mean(list.map((o) => o.engine.recall));
    const b50 = mean(list.map((o) => o.bm25.recall));
    const delta = e10 - b10;
    return `| ${label} | ${list.length} | ${f(e10)} | ${f(b10)} | ${delta >= 0 ? '+' : ''}${f(delta)} | ${f(e50)} | ${f(b50)} |`;
  };

  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  console.log(`## Search relevance: ${engine.name} vs BM25\n`);
  console.log(
    `${documents.length} products (real Best Buy listings of the demo catalog), ${judged.queries.length} judged ` +
      `queries; indexed in ${indexMs.toFixed(0)} ms; query p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms.\n`,
  );
  console.log(
    '| query type | queries | NDCG@10 engine | NDCG@10 BM25 | Δ NDCG@10 | recall@50 engine | recall@50 BM25 |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const type of TYPES) {
    const list = outcomes.filter((o) => o.query.type === type);
    if (list.length) console.log(row(type, list));
  }
  console.log(row('**all**', outcomes));

  console.log('\n### The 10 worst queries (engine NDCG@10)\n');
  console.log('| id | type | query | NDCG@10 engine | NDCG@10 BM25 | engine’s first result |');
  console.log('| --- | --- | --- | ---: | ---: | --- |');
  const worst = [...outcomes].sort(
    (a, b) => a.engine.ndcg - b.engine.ndcg || a.query.id.localeCompare(b.query.id),
  );
  for (const o of worst.slice(0, 10)) {
    const first = o.engine.top[0];
    const label = first
      ? `${names.get(first) ?? first} (grade ${gradesOf(o.query).get(first) ?? 0})`
      : '— no results —';
    console.log(
      `| ${o.query.id} | ${o.query.type} | ${o.query.q.replace(/\|/g, '\\|')} | ${f(o.engine.ndcg)} | ${f(o.bm25.ndcg)} | ${label.replace(/\|/g, '\\|')} |`,
    );
  }
}

await main();
