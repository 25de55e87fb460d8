export {
  createElasticsearchEngine,
  type ElasticsearchEngine,
  type ElasticsearchEngineOptions,
  type ReindexOptions,
} from './engine';
export type { ChineseAnalysis } from './settings';
export type { ReindexResult } from './index-manager';
export { BulkWriteError } from './bulk';
