import type { Lang } from '../i18n/i18n.svelte';
import type { ProductCard, ProductDetail } from '../api/wire';
import { productHref } from '../product-href';

/**
 * schema.org structured data for the server-rendered pages (JSON-LD), built from the same data the page
 * shows: what a search engine reads as the product's price, stock and rating is what the shopper sees.
 */

const SITE_NAME = '集市 Bazaar';

type Named = { name: string; nameZh?: string | null };
const nameIn = (lang: Lang, item: Named) => (lang === 'zh' && item.nameZh ? item.nameZh : item.name);
/** Fen as the decimal string schema.org prices take ("123.45"). */
const yuan = (fen: number) => (fen / 100).toFixed(2);
const absolute = (origin: string, path: string) => new URL(path, origin).href;

export function productJsonLd(
  product: ProductDetail,
  page: { origin: string; url: string; lang: Lang },
): Record<string, unknown> {
  const inStock = product.variants.some((v) => v.available > 0);
  const prices = product.variants.map((v) => v.price);
  const availability = `https://schema.org/${inStock ? 'InStock' : 'OutOfStock'}`;
  const offers =
    product.variants.length === 1
      ? {
          '@type': 'Offer',
          url: page.url,
          sku: product.variants[0]!.sku,
          price: yuan(prices[0]!),
          priceCurrency: product.currency,
          availability,
          seller: { '@type': 'Organization', name: nameIn(page.lang, product.shop) },
        }
      : {
          '@type': 'AggregateOffer',
          url: page.url,
          lowPrice: yuan(Math.min(...prices)),
          highPrice: yuan(Math.max(...prices)),
          offerCount: product.variants.length,
          priceCurrency: product.currency,
          availability,
          seller: { '@type': 'Organization', name: nameIn(page.lang, product.shop) },
        };
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    '@id': `${page.url}#product`,
    name: nameIn(page.lang, product),
    description: (page.lang === 'zh' && product.descriptionZh) || product.description,
    image: product.imageUrls.map((u) => absolute(page.origin, u)),
    sku: product.variants[0]?.sku,
    ...(product.brand && { brand: { '@type': 'Brand', name: product.brand } }),
    category: nameIn(page.lang, product.category),
    offers,
    // Only with reviews: an AggregateRating of zero reviews is invalid structured data.
    ...(product.rating.count > 0 && {
      aggregateRating: {
        '@type': 'AggregateRating',
        ratingValue: product.rating.average,
        reviewCount: product.rating.count,
        bestRating: 5,
        worstRating: 1,
      },
    }),
  };
}

export function breadcrumbJsonLd(
  origin: string,
  trail: { path: string; name: string }[],
): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((crumb, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: crumb.name,
      item: absolute(origin, crumb.path),
    })),
  };
}

export function itemListJsonLd(origin: string, lang: Lang, cards: ProductCard[]): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    itemListElement: cards.map((card, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      url: absolute(origin, productHref(card)),
      name: nameIn(lang, card),
    })),
  };
}

/** The home page's: who runs the site, and how to search it (the sitelinks search box). */
export function siteJsonLd(origin: string): Record<string, unknown>[] {
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'Organization',
      '@id': `${origin}/#organization`,
      name: SITE_NAME,
      url: `${origin}/`,
    },
    {
      '@context': 'https://schema.org',
      '@type': 'WebSite',
      '@id': `${origin}/#website`,
      name: SITE_NAME,
      url: `${origin}/`,
      publisher: { '@id': `${origin}/#organization` },
      potentialAction: {
        '@type': 'SearchAction',
        target: { '@type': 'EntryPoint', urlTemplate: `${origin}/search?q={search_term_string}` },
        'query-input': 'required name=search_term_string',
      },
    },
  ];
}

/**
 * A JSON-LD block for `{@html}`. `<` is escaped so no value (a product name, say) can close the script
 * element; browsers never run it (not JavaScript), so the page policy needs no exception for it.
 */
export function jsonLdScript(data: Record<string, unknown>): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<script type="application/ld+json">${json}</script>`;
}
