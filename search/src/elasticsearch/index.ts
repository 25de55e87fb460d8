export {
  createElasticsearchEngine,
  type ElasticsearchEngine,
  type ElasticsearchEngineOptions,
} from './engine';
export type { ChineseAnalysis } from './settings';
export type { ReindexResult } from './index-manager';
export { BulkWriteError } from './bulk';
