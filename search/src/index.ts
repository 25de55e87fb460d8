import type { Logger } from '@market/core';
import path from 'node:path';
import { createElasticsearchEngine } from './elasticsearch';
import { createEmbeddedSearchEngine } from './embedded';
import type { SearchEngine } from './types';

export * from './types';
export { createSearchIndexer, type SearchIndexer } from './indexer';
export { toSearchDocument } from './document';
export { createElasticsearchEngine, createEmbeddedSearchEngine };

/**
 * The one place the search engine is chosen: Elasticsearch when ELASTICSEARCH_URL is set, otherwise the
 * embedded in-process engine with its snapshot under DATA_DIR.
 */
export function createSearchEngine(
  config: { elasticsearchUrl: string | undefined; dataDir: string; searchResultCacheSize?: number },
  log: Logger,
): SearchEngine {
  if (config.elasticsearchUrl) return createElasticsearchEngine({ url: config.elasticsearchUrl, log });
  return createEmbeddedSearchEngine({
    snapshotPath: path.join(config.dataDir, 'search', 'products.snapshot.json'),
    resultCacheSize: config.searchResultCacheSize,
    log,
  });
}
