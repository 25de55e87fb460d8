/**
 * Measures the in-process search libraries on our catalog, to choose the embedded engine:
 *
 *   node --import tsx scripts/compare-search-engines.ts        (COMPARE_PRODUCTS=20000 to shrink it)
 *
 * Every library gets the same analyzed token streams (our bilingual analyzer, Chinese terms spelled as
 * ASCII so no library's own tokenizer drops them), so the figures compare index structures, scoring,
 * typo and prefix handling, not tokenizers. "embedded" is the finished adapter (MiniSearch + analysis +
 * synonyms + ranking) on the same catalog. Prints a markdown table for docs/BENCHMARKS.md.
 */
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { Document as FlexDocument } from 'flexsearch';
import MiniSearch from 'minisearch';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateDemoCatalog, type DemoCatalog } from '@market/demo';
import { allowedEdits, parseQuery, tokenizeForIndex } from '@market/search/analysis';
import { createEmbeddedSearchEngine, type SearchDocument } from '@market/search';

const PRODUCTS = Number(process.env.COMPARE_PRODUCTS ?? 100_000);
const FIELDS = ['name', 'nameZh', 'brand', 'categoryNames', 'attributes', 'description'] as const;
type Field = (typeof FIELDS)[number];
const BOOSTS: Record<Field, number> = {
  name: 4,
  nameZh: 4,
  brand: 2.5,
  categoryNames: 2,
  attributes: 1.3,
  description: 1,
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

// ---- catalog → search documents -------------------------------------------------------------------
function toDocuments(catalog: DemoCatalog): SearchDocument[] {
  const categories = new Map(catalog.categories.map((c) => [c.id, c]));
  const sellers = new Map(catalog.sellers.map((s) => [s.id, s]));
  return catalog.products.map((p, i) => {
    const pathIds: string[] = [];
    const names: string[] = [];
    for (let c = categories.get(p.categoryId); c; c = c.parentId ? categories.get(c.parentId) : undefined) {
      pathIds.unshift(c.id);
      names.unshift(c.name, c.nameZh);
    }
    const prices = p.variants.map((v) => v.price);
    const available = p.variants.reduce((sum, v) => sum + v.stock, 0);
    return {
      id: p.id,
      name: p.name,
      nameZh: p.nameZh,
      brand: p.brand,
      description: p.description,
      descriptionZh: p.descriptionZh,
      categoryId: p.categoryId,
      categoryPath: pathIds,
      categoryNames: names,
      shopId: p.sellerId,
      shopName: sellers.get(p.sellerId)?.shopName ?? '',
      attributes: [...new Set(p.variants.flatMap((v) => Object.values(v.attributes)))],
      tags: p.tags,
      priceMin: Math.min(...prices),
      priceMax: Math.max(...prices),
      available,
      inStock: available > 0,
      popularity: p.popularity,
      rating: i % 7 === 0 ? null : 3 + (i % 21) / 10,
      createdAt: p.createdAt.toISOString(),
      version: 1,
    };
  });
}

/** Chinese terms as ASCII ("zh" + hex code points) so every library's tokenizer keeps them whole. */
const asciiTerm = (term: string) =>
  /\p{Script=Han}/u.test(term)
    ? `zh${Array.from(term, (ch) => ch.codePointAt(0)!.toString(16).padStart(5, '0')).join('')}`
    : term;
function fieldText(doc: SearchDocument, field: Field): string {
  if (field === 'attributes') return [...doc.attributes, ...doc.tags].join(' \n ');
  if (field === 'description') return `${doc.description} \n ${doc.descriptionZh}`;
  if (field === 'categoryNames') return doc.categoryNames.join(' \n ');
  return doc[field];
}
type Analyzed = Record<Field, string> & { id: string };
const analyze = (doc: SearchDocument): Analyzed => {
  const out = { id: doc.id } as Analyzed;
  for (const f of FIELDS)
    out[f] = tokenizeForIndex(fieldText(doc, f), { unigrams: f !== 'description' })
      .map(asciiTerm)
      .join(' ');
  return out;
};
/** The query's primary terms (no synonyms: that is the adapter's job, measured in its own row). */
function queryTerms(q: string): { terms: string[]; lastIsPrefix: boolean } {
  const parsed = parseQuery(q);
  return {
    terms: parsed.clauses.flatMap((c) => c.terms).map(asciiTerm),
    lastIsPrefix: parsed.clauses.at(-1)?.prefix ?? false,
  };
}

// ---- candidates -------------------------------------------------------------------------------------
interface Candidate {
  name: string;
  build(docs: SearchDocument[]): Promise<void>;
  search(q: string): Promise<string[]>;
  dispose(): void;
}

function miniSearchCandidate(): Candidate {
  let mini: MiniSearch<Analyzed> | null = null;
  return {
    name: 'MiniSearch 7',
    async build(docs) {
      mini = new MiniSearch<Analyzed>({
        fields: [...FIELDS],
        tokenize: (t) => t.split(' '),
        processTerm: (t) => t,
      });
      mini.addAll(docs.map(analyze));
    },
    async search(q) {
      const { terms, lastIsPrefix } = queryTerms(q);
      return mini!
        .search(terms.join(' '), {
          combineWith: 'AND',
          boost: BOOSTS,
          prefix: (_t, i, all) => lastIsPrefix && i === all.length - 1,
          fuzzy: (t) => (t.startsWith('zh') ? false : allowedEdits(t)),
        })
        .slice(0, 10)
        .map((r) => r.id as string);
    },
    dispose: () => (mini = null),
  };
}

function oramaCandidate(): Candidate {
  const schema = Object.fromEntries(FIELDS.map((f) => [f, 'string' as const]));
  let db: ReturnType<typeof create<typeof schema>> | null = null;
  return {
    name: 'Orama 3',
    async build(docs) {
      db = create({
        schema,
        components: {
          tokenizer: {
            tokenize: (t: string) => t.split(' ').filter(Boolean),
            language: 'english',
            normalizationCache: new Map(),
          },
        },
      });
      await insertMultiple(db, docs.map(analyze), 1000);
    },
    async search(q) {
      const { terms } = queryTerms(q);
      const result = await oramaSearch(db!, {
        term: terms.join(' '),
        boost: BOOSTS,
        tolerance: 1,
        threshold: 0,
        limit: 10,
      });
      return result.hits.map((h) => h.id);
    },
    dispose: () => (db = null),
  };
}

interface FlexResult {
  field: string;
  result: string[];
}
function flexSearchCandidate(): Candidate {
  let index: FlexDocument | null = null;
  return {
    name: 'FlexSearch 0.8',
    async build(docs) {
      index = new FlexDocument({
        document: {
          id: 'id',
          index: FIELDS.map((field) => ({
            field,
            tokenize: 'forward',
            encoder: { split: ' ', normalize: false },
          })),
        },
      } as unknown as ConstructorParameters<typeof FlexDocument>[0]);
      for (const doc of docs) index.add(analyze(doc) as unknown as Parameters<FlexDocument['add']>[0]);
    },
    async search(q) {
      const { terms } = queryTerms(q);
      const perField = index!.search(terms.join(' '), {
        limit: 50,
        suggest: true,
      } as never) as unknown as FlexResult[];
      // FlexSearch ranks per field; merge them by boost-weighted reciprocal rank.
      const scores = new Map<string, number>();
      for (const { field, result } of perField)
        result.forEach((id, rank) =>
          scores.set(id, (scores.get(id) ?? 0) + BOOSTS[field as Field] / (rank + 1)),
        );
      return [...scores]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([id]) => id);
    },
    dispose: () => (index = null),
  };
}

function embeddedCandidate(snapshotDir: string): Candidate & { snapshotFigures(): Promise<string> } {
  let engine = createEmbeddedSearchEngine();
  let buildMs = 0;
  return {
    name: 'embedded (MiniSearch + analysis)',
    async build(docs) {
      const started = performance.now();
      for (let i = 0; i < docs.length; i += 5000) await engine.upsert(docs.slice(i, i + 5000));
      buildMs = performance.now() - started;
    },
    async search(q) {
      const result = await engine.search({ q, filters: {}, sort: 'relevance', page: 1, pageSize: 10 });
      return result.hits.map((h) => h.id);
    },
    dispose: () => (engine = createEmbeddedSearchEngine()),
    async snapshotFigures() {
      const file = path.join(snapshotDir, 'products.snapshot');
      let started = performance.now();
      const bytes = await engine.snapshot(file);
      const saveMs = performance.now() - started;
      started = performance.now();
      const loaded = createEmbeddedSearchEngine({ snapshotPath: file });
      const count = (await loaded.stats()).documents;
      const loadMs = performance.now() - started;
      await loaded.close();
      return `| ${count} | ${(bytes / 1e6).toFixed(0)} MB | ${(saveMs / 1000).toFixed(1)} s | ${(loadMs / 1000).toFixed(1)} s | ${(buildMs / 1000).toFixed(1)} s |`;
    },
  };
}

// ---- judged queries ---------------------------------------------------------------------------------
interface Judged {
  q: string;
  kind: string;
  /** id → grade (3 exact product, 2 right brand and kind, 1 right category). */
  grades: Map<string, number>;
}

function judgedQueries(docs: SearchDocument[]): Judged[] {
  const byName = new Map<string, SearchDocument[]>();
  for (const d of docs) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
  const unique = docs.filter((d) => byName.get(d.name)!.length === 1 && d.name.split(' ').length >= 3);
  const pick = (n: number, offset: number) =>
    Array.from({ length: n }, (_, i) => unique[(offset + i * 7919) % unique.length]!);
  const exact = (d: SearchDocument) => new Map(docs.filter((x) => x.name === d.name).map((x) => [x.id, 3]));
  const judged: Judged[] = [];
  for (const d of pick(10, 11)) judged.push({ q: d.name, kind: 'exact name', grades: exact(d) });
  for (const d of pick(8, 101)) {
    const words = d.name.split(' ');
    const i = words.reduce((best, w, k) => (w.length > words[best]!.length ? k : best), 0);
    const w = words[i]!;
    if (w.length >= 5) words[i] = w.slice(0, 2) + w[3] + w[2] + w.slice(4);
    judged.push({ q: words.join(' '), kind: 'typo', grades: exact(d) });
  }
  for (const d of pick(6, 503)) {
    const words = d.name.split(' ').slice(0, 3);
    const last = words.pop()!;
    judged.push({
      q: [...words, last.slice(0, Math.max(3, Math.ceil(last.length / 2)))].join(' '),
      kind: 'prefix',
      grades: exact(d),
    });
  }
  for (const d of pick(6, 907))
    judged.push({
      q: d.nameZh,
      kind: 'chinese name',
      grades: new Map(docs.filter((x) => x.nameZh === d.nameZh).map((x) => [x.id, 3])),
    });
  const inCategory = (category: string, grade = 1) =>
    docs.filter((x) => x.categoryId === category).map((x) => [x.id, grade] as const);
  const brandKind = (brand: string, category: string) =>
    new Map(docs.filter((x) => x.brand === brand && x.categoryId === category).map((x) => [x.id, 2]));
  const categoryQueries: [string, string][] = [
    ['laptop', 'cat_laptops'],
    ['running shoes', 'cat_running_shoes'],
    ['连衣裙', 'cat_dresses'],
    ['空气炸锅', 'cat_air_fryers'],
    ['robot vacuum', 'cat_robot_vacuums'],
    ['耳机', 'cat_headphones'],
  ];
  for (const [q, category] of categoryQueries)
    judged.push({ q, kind: 'category word', grades: new Map(inCategory(category)) });
  const brandQueries: [string, string, string][] = [
    ['samsung cell phone', 'Samsung', 'cat_phones'],
    ['nike running shoes', 'Nike', 'cat_running_shoes'],
    ['lenovo laptop', 'Lenovo', 'cat_laptops'],
    ['otterbox case', 'OtterBox', 'cat_phone_cases'],
  ];
  for (const [q, brand, category] of brandQueries)
    judged.push({ q, kind: 'brand + type', grades: brandKind(brand, category) });
  judged.push({
    q: '蓝牙耳机',
    kind: 'chinese',
    grades: new Map(docs.filter((x) => x.nameZh.includes('蓝牙耳机')).map((x) => [x.id, 2])),
  });
  return judged.filter((j) => j.grades.size > 0);
}

function ndcgAt10(ranked: string[], grades: Map<string, number>): number {
  const dcg = (gains: number[]) =>
    gains.slice(0, 10).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...grades.values()].sort((a, b) => b - a));
  return ideal ? dcg(ranked.map((id) => grades.get(id) ?? 0)) / ideal : 0;
}

const LATENCY_BUDGET_MS = 20_000;
const LATENCY_QUERIES = [
  'phone',
  'headphones',
  'samsung galaxy case',
  'wireless bluetooth earbuds',
  'iphnoe',
  'lapotp',
  'headph',
  'sams',
  '蓝牙耳机',
  '手机壳',
  '连衣裙 夏季',
  'nike running shoes men',
  'coffee',
  'rice cooker',
  'chager',
  'air fry',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(candidate: Candidate, docs: SearchDocument[], judged: Judged[]): Promise<string> {
  const before = heapMb();
  const started = performance.now();
  await candidate.build(docs);
  const buildS = (performance.now() - started) / 1000;
  const heap = heapMb() - before;
  const times: number[] = [];
  const judgedResults = new Map<string, string[]>();
  // Time-boxed: a slow library gets fewer rounds rather than stretching the run past a few minutes.
  const budgetEnds = performance.now() + LATENCY_BUDGET_MS;
  for (let round = 0; round < 3 && (round === 0 || performance.now() < budgetEnds); round++)
    for (const q of [...LATENCY_QUERIES, ...judged.map((j) => j.q)]) {
      const t = performance.now();
      const ranked = await candidate.search(q);
      times.push(performance.now() - t);
      if (round === 0) judgedResults.set(q, ranked);
    }
  times.sort((a, b) => a - b);
  let ndcg = 0;
  for (const j of judged) ndcg += ndcgAt10(judgedResults.get(j.q) ?? [], j.grades);
  console.error(`  ${candidate.name}: ${times.length} timed queries`);
  const row = `| ${candidate.name} | ${buildS.toFixed(1)} s | ${heap.toFixed(0)} MB | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 99).toFixed(1)} ms | ${(ndcg / judged.length).toFixed(3)} |`;
  console.log(row);
  return row;
}

async function main() {
  console.log(`generating ${PRODUCTS} products…`);
  const docs = toDocuments(generateDemoCatalog({ products: PRODUCTS }));
  const judged = judgedQueries(docs);
  console.log(`${judged.length} judged queries (${[...new Set(judged.map((j) => j.kind))].join(', ')})\n`);
  console.log('| engine | build | heap after build | query p50 | query p99 | NDCG@10 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const only = process.env.COMPARE_ONLY?.split(',');
  for (const make of [miniSearchCandidate, oramaCandidate, flexSearchCandidate]) {
    const candidate = make();
    if (only && !only.some((o) => candidate.name.toLowerCase().includes(o))) continue;
    await measure(candidate, docs, judged);
    candidate.dispose();
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'search-compare-'));
  try {
    const embedded = embeddedCandidate(dir);
    await measure(embedded, docs, judged);
    console.log('\n| documents | snapshot size | save | load | rebuild |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(await embedded.snapshotFigures());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
