/**
 * The offline evaluation (`npm run eval:recs`, recommender/README.md "Offline evaluation"): datasets,
 * splits, the methods compared, their metrics and the replay that scores them.
 */
export type { EvalDataset } from './dataset';
export { itemToItem, personalBlend, popularityBaseline } from './methods';
export { pairedDifference } from './metrics';
export { MOVIELENS_DIR, loadMovieLens } from './movielens';
export { replayAndEvaluate, type ReplayReport } from './replay';
export { simulateShoppers } from './simulate';
export { globalTimeCut, perUserLastPositives, sampleCases, type EvalCase } from './split';
