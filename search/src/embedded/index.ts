import { EmbeddedSearchEngine, type EmbeddedSearchOptions } from './engine';

export { EmbeddedSearchEngine, type EmbeddedSearchOptions } from './engine';
export { FIELD_BOOSTS } from './text-index';
export { PHRASE_BOOST, OUT_OF_STOCK_FACTOR, POPULARITY_WEIGHT, relevance } from './ranking';
export { priceBucketOf } from './facets';
export { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, ANALYZER_VERSION } from './snapshot';

/**
 * The in-process search engine. Synchronous so it can be wired in one place with the other adapters; a
 * snapshot at `snapshotPath` loads in the background and every call waits for it.
 */
export function createEmbeddedSearchEngine(options: EmbeddedSearchOptions = {}): EmbeddedSearchEngine {
  return new EmbeddedSearchEngine(options);
}
