/**
 * The relevance evaluation (`npm run eval:search`, search/eval/README.md): the judged query set, the
 * corpus it was judged on, the BM25 baseline and the metrics.
 */
export { Bm25Index } from './bm25';
export type { CorpusName, JudgedQuery, JudgedQueryFile, QueryType } from './build-judgments';
export { englishOnly, loadEvalCorpus } from './corpus';
export { gradesOf, ndcgAt, recallAt } from './metrics';

/** The judged queries (`build-judgments.ts` writes them). */
export const JUDGED_QUERIES_FILE = new URL('./judged-queries.json', import.meta.url);
export {
  embedAllCached,
  EmbeddingsClient,
  embeddingsVenv,
  Int8VectorIndex,
  passageText,
  reciprocalRankFusion,
  startEmbeddingServer,
  VectorIndex,
} from './semantic';
