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
  'product.otherOptionsFrom': 'other options from {price}',
  'product.buyTogether': 'Buy together: {items} for {price}',
  'buyBar.buyNow': 'Buy now',
  'results.heading': 'Products',
  'card.moreOptions': '+{count}',
  'seller.openShopBody':
    'The seller centre is for shops. To sell on Bazaar, open a shop with a seller account; staff check its business details before it trades.',
  'seller.openShop': 'Open a shop',
  'buyBar.added': 'Added ✓',
  'import.outcome.queued': 'Queued',
  'import.outcome.running': 'Importing',
  'import.outcome.completed': 'Completed',
  'import.outcome.partial': 'Partly imported',
  'import.outcome.failed': 'Nothing imported',
} as const;

export const storefrontZh: Record<keyof typeof storefrontEn, string> = {
  'search.showingFor': '以下为此关键词的结果：',
  'search.placeholderShort': '搜索商品',
  'search.didYouMeanLong': '你是不是要找“{q}”？',
  'search.completions': '搜索建议',
  'search.productSuggestions': '商品',
  'product.otherOptionsFrom': '其他规格 {price} 起',
  'product.buyTogether': '组合购买：{items} 共 {price}',
  'buyBar.buyNow': '立即购买',
  'results.heading': '商品列表',
  'card.moreOptions': '+{count}',
  'seller.openShopBody': '卖家中心供店铺使用。想在集市开店，请用商家账户开店；平台审核营业信息后即可经营。',
  'seller.openShop': '我要开店',
  'buyBar.added': '已加入 ✓',
  'import.outcome.queued': '排队中',
  'import.outcome.running': '导入中',
  'import.outcome.completed': '已完成',
  'import.outcome.partial': '部分导入',
  'import.outcome.failed': '未导入任何商品',
};
