/**
 * The real Best Buy listings as the demo catalog lists them (names in both languages, leaf, price,
 * colours), and the pieces of the generator that place them: what the search evaluation
 * (`search/eval/corpus.ts`) rebuilds its corpus from, so its judgments follow the demo data.
 */
export { BESTBUY_DATA_FILE, leafForBestBuy, realListingsByLeaf, type RealListing } from './bestbuy';
export { categoryIdFor } from './categories';
export { DEMO_EPOCH, demoCategoriesAndSellers } from './generator';
export { describeReal } from './listing';
