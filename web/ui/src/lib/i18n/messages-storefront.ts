/**
 * UI strings of the storefront's shopper pages added with the polish of issue 17 (search corrections and
 * completions, product cards and tags, the phone buy bar), merged into `messages.ts`.
 */
export const storefrontEn = {
  'search.showingFor': 'Showing results for',
  'search.placeholderShort': 'Search products',
  'search.didYouMeanLong': 'Did you mean “{q}”?',
  'search.completions': 'Searches',
  'search.productSuggestions': 'Products',
} as const;

export const storefrontZh: Record<keyof typeof storefrontEn, string> = {
  'search.showingFor': '以下为此关键词的结果：',
  'search.placeholderShort': '搜索商品',
  'search.didYouMeanLong': '你是不是要找“{q}”？',
  'search.completions': '搜索建议',
  'search.productSuggestions': '商品',
};
