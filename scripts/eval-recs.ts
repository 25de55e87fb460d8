/**
 * `npm run eval:recs`: offline evaluation of the recommender (recommender/README.md, "Offline evaluation").
 * Replays two logs through the library in time order — MovieLens small (research licence: read from
 * ../shared/data, never shipped) and the seeded shopper simulation — and at each user's cut compares the
 * popularity baseline, item-to-item and the personal blend on HR@10, NDCG@10, catalog coverage and novelty.
 * Prints one markdown table per log and exits non-zero unless the blend beats popularity on HR@10 on both,
 * as the recommender issue requires.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRecommender } from '@market/recommender';
import {
  type EvalCase,
  type EvalDataset,
  globalTimeCut,
  itemToItem,
  loadMovieLens,
  MOVIELENS_DIR,
  pairedDifference,
  personalBlend,
  perUserLastPositives,
  popularityBaseline,
  replayAndEvaluate,
  type ReplayReport,
  sampleCases,
  simulateShoppers,
} from '@market/recommender/eval';

const K = 10;
const TEST_SHARE = 0.2;
/** Keeps the run near a minute on two cores; the sample is seeded, so the figures do not move. */
const MAX_USERS = 1_500;
const SAMPLE_SEED = 42;

interface Plan {
  load: () => EvalDataset;
  split: string;
  cases: (dataset: EvalDataset) => EvalCase[];
}

const PLANS: Plan[] = [
  {
    load: () => loadMovieLens(),
    split: `per user: the last ${TEST_SHARE * 100}% of each user's positives, replayed in global time order`,
    cases: (d) => perUserLastPositives(d, TEST_SHARE),
  },
  {
    load: () => simulateShoppers(),
    split: `global time cut: the last ${TEST_SHARE * 100}% of all positives`,
    cases: (d) => globalTimeCut(d, TEST_SHARE),
  },
];

const f3 = (n: number) => n.toFixed(3);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function printReport(
  dataset: EvalDataset,
  plan: Plan,
  all: number,
  sample: number,
  report: ReplayReport,
  ms: number,
) {
  console.log(`### ${dataset.name}\n`);
  console.log(`${dataset.description}.`);
  console.log(
    `Split: ${plan.split}. Relevant: positives after the cut on items the user had not touched before it.`,
  );
  console.log(
    `Users evaluated: ${sample.toLocaleString('en')} of ${all.toLocaleString('en')}` +
      `${sample < all ? ` (seeded sample, seed ${SAMPLE_SEED})` : ''}; catalog at the last cut ` +
      `${report.catalog.toLocaleString('en')} items; ${report.events.toLocaleString('en')} events recorded in ` +
      `${seconds(report.recordMs)}; total ${seconds(ms)}.\n`,
  );
  console.log(`| method | HR@${K} | NDCG@${K} | coverage | novelty (bits) | users | query time |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of report.results) {
    console.log(
      `| ${r.method} | ${f3(r.hr)} | ${f3(r.ndcg)} | ${pct(r.coverage)} | ${r.novelty.toFixed(2)} | ${r.users} | ${seconds(r.queryMs)} |`,
    );
  }
  const [popularity, , blend] = report.results;
  if (popularity && blend) {
    const { mean, halfWidth } = pairedDifference(blend.hits, popularity.hits);
    const sign = mean >= 0 ? '+' : '−';
    console.log(
      `\nBlend − popularity, HR@${K}: ${sign}${f3(Math.abs(mean))} ± ${f3(halfWidth)} ` +
        '(95% interval, paired over the same users).',
    );
  }
  console.log('');
}

function main() {
  if (!existsSync(join(MOVIELENS_DIR, 'ratings.csv')) && !process.env.MOVIELENS_DIR) {
    console.error(`MovieLens small not found in ${MOVIELENS_DIR} (set MOVIELENS_DIR to its folder)`);
    process.exit(1);
  }
  console.log('## Recommender offline evaluation\n');
  const failures: string[] = [];
  for (const plan of PLANS) {
    const started = performance.now();
    const dataset = plan.load();
    const cases = plan.cases(dataset);
    const sample = sampleCases(cases, MAX_USERS, SAMPLE_SEED);
    const report = replayAndEvaluate(dataset, sample, createRecommender, (recommender) => [
      popularityBaseline(dataset.isPositive),
      itemToItem(recommender),
      personalBlend(recommender),
    ]);
    printReport(dataset, plan, cases.length, sample.length, report, performance.now() - started);
    const [popularity, , blend] = report.results;
    if (!popularity || !blend || blend.hr <= popularity.hr) {
      failures.push(
        `${dataset.name}: the personal blend (HR@${K} ${f3(blend?.hr ?? 0)}) does not beat popularity (${f3(popularity?.hr ?? 0)})`,
      );
    }
  }
  for (const failure of failures) console.error(failure);
  if (failures.length) process.exitCode = 1;
}

main();
