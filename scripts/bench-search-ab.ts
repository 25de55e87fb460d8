/**
 * `npm run bench:search:ab` — this build of the embedded engine against another build of it (a copy of
 * `search/src`), in one process, on the same generated products, the 400-query mix of `bench:search`
 * with the result cache off. The two are interleaved query by query (A then B, then B then A), so a
 * loaded, shared machine weighs on both alike and the difference is the code's. It also compares their
 * answers: totals and the first page of every query. The untimed first pass is reported on its own row
 * ("all, first pass"): every query once, just after the build, when no posting list copy is made yet.
 *
 *   git archive main search/src | tar -x -C tmp/baseline        # the other build, once
 *   BENCH_BASELINE=tmp/baseline/search/src BENCH_PRODUCTS=100000 npm run bench:search:ab
 *
 *   BENCH_ROUNDS=3     timed passes over the mix (after one untimed pass)
 *   BENCH_BASELINE=    (empty) times this build alone, e.g. under `node --cpu-prof`
 */
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@market/core';
import { generateDemoCatalog } from '@market/demo';
import { createEmbeddedSearchEngine, type SearchEngine, type SearchResult } from '@market/search';
import { demoSearchDocuments } from '../tests/support/opensearch';
import { asQuery, queryMix } from './bench/search-mix';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BASELINE = process.env.BENCH_BASELINE ?? '';
const log = createLogger('warn', 'bench');

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);
const summary = (times: number[]) => {
  const s = [...times].sort((a, b) => a - b);
  return `${fmt(pct(s, 50))} / ${fmt(pct(s, 95))} / ${fmt(pct(s, 99))}`;
};

interface Contender {
  label: string;
  engine: SearchEngine;
  times: Map<string, number[]>;
  answers: SearchResult[];
}

async function contender(label: string, modulePath: string | null): Promise<Contender> {
  const create: typeof createEmbeddedSearchEngine = modulePath
    ? (await import(modulePath)).createEmbeddedSearchEngine
    : createEmbeddedSearchEngine;
  return { label, engine: create({ log, resultCacheSize: 0 }), times: new Map(), answers: [] };
}

console.log(
  `bench:search:ab — ${PRODUCTS} products, ${os.cpus().length} cores, Node ${process.version}, ` +
    `load average (1/5/15 min) ${loadAverage()} at start`,
);
const catalog = generateDemoCatalog({ products: PRODUCTS });
const docs = demoSearchDocuments(catalog);
const mix = queryMix(catalog);
const contenders = [await contender('this build', null)];
if (BASELINE) contenders.push(await contender('baseline', path.resolve(BASELINE, 'embedded', 'index.ts')));

for (const c of contenders) {
  const started = performance.now();
  for (let i = 0; i < docs.length; i += 1000) await c.engine.upsert(docs.slice(i, i + 1000));
  console.log(`  ${c.label}: index built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`load average after building: ${loadAverage()}`);

for (let round = 0; round <= ROUNDS; round++) {
  for (const [i, m] of mix.entries()) {
    const order = (i + round) % 2 ? [...contenders].reverse() : contenders;
    for (const c of order) {
      const t = performance.now();
      const answer = await c.engine.search(asQuery(m));
      const ms = performance.now() - t;
      if (round === 0) {
        c.answers[i] = answer;
        // The first pass meets every query once, right after the index was built: nothing is warm
        // (the engine's copies of long posting lists are made on first use after a write).
        (c.times.get('all, first pass') ?? c.times.set('all, first pass', []).get('all, first pass')!).push(
          ms,
        );
      } else
        for (const kind of [m.kind, 'all']) (c.times.get(kind) ?? c.times.set(kind, []).get(kind)!).push(ms);
    }
  }
}

console.log(`\nload average after the timed passes: ${loadAverage()}`);
console.log(
  `\n| query kind, p50 / p95 / p99 ms (${ROUNDS} passes) | ${contenders.map((c) => c.label).join(' | ')} |`,
);
console.log(`| --- |${' ---: |'.repeat(contenders.length)}`);
for (const kind of contenders[0]!.times.keys())
  console.log(`| ${kind} | ${contenders.map((c) => summary(c.times.get(kind)!)).join(' | ')} |`);

if (contenders.length === 2) {
  const [a, b] = contenders as [Contender, Contender];
  const ids = (r: SearchResult, k: number) =>
    r.hits
      .slice(0, k)
      .map((h) => h.id)
      .join(',');
  let sameTotal = 0;
  let sameTop10 = 0;
  let samePage = 0;
  const differing: string[] = [];
  for (const [i, m] of mix.entries()) {
    const x = a.answers[i]!;
    const y = b.answers[i]!;
    if (x.total === y.total) sameTotal++;
    if (ids(x, 10) === ids(y, 10)) sameTop10++;
    if (ids(x, 24) === ids(y, 24)) samePage++;
    else if (differing.length < 10) differing.push(`  ${m.kind} "${m.q}": total ${x.total} vs ${y.total}`);
  }
  console.log(
    `\nanswers (${mix.length} queries): same total ${sameTotal}, same top 10 ${sameTop10}, ` +
      `same first page of 24 ${samePage}`,
  );
  for (const line of differing) console.log(line);
}
for (const c of contenders) await c.engine.close();
