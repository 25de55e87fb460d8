import type { IncomingMessage } from 'node:http';
import type {
  Category,
  ProductDetail,
  ProductPage,
  ProductQuery,
  Recommended,
  SearchResult,
} from '../api/wire';

/**
 * Where the Koa app leaves the bridge on each request it hands to SvelteKit (`req[STOREFRONT_BRIDGE]`).
 * A registered symbol, because the Koa side and the built SvelteKit server are separate module graphs.
 */
export const STOREFRONT_BRIDGE = Symbol.for('bazaar.storefront-bridge');

/** A product page's product as an anonymous shopper may see it. */
export type ProductLookup =
  | { status: 'found'; product: ProductDetail }
  /** Asked for by id, and it has a URL handle: the page answers 301 to `/p/<urlHandle>`. */
  | { status: 'moved'; urlHandle: string }
  /** Deleted by its seller: the page answers 410. */
  | { status: 'gone' }
  /** Never existed, or off sale (taken down, shop pending or suspended), as the API says: 404. */
  | { status: 'missing' };

/**
 * What the server side of the storefront gets from the Koa app it runs in (web/src/http/storefront.ts):
 * the app's own services in-process, never HTTP to itself, with the API's visibility rules. One per
 * request.
 */
export interface StorefrontBridge {
  /** The page policy (web/src/http/content-security.ts) allowing also these inline-script and -style sources. */
  contentSecurityPolicy(inline: { scripts: string[]; styles: string[] }): string;
  /** The site's public origin (PUBLIC_URL's, else this request's): canonical URLs and structured data. */
  publicOrigin: string;
  /** Whether the request comes with a signed-in session (its pages are never shared from a cache). */
  signedIn: boolean;
  /** Whether development-only pages (`/dev/mailbox`) exist: not in production. */
  devPages: boolean;
  /** The category tree as `GET /api/categories` gives it. */
  categories(): Promise<Category[]>;
  /** A page of product cards as `GET /api/products` gives it; null for a query the API would refuse. */
  listProducts(query: ProductQuery): Promise<ProductPage | null>;
  /** The home page's "hot now" strip as `GET /api/rankings/hot?limit=` gives it. */
  hot(limit: number): Promise<Recommended[]>;
  /** A shop that trades (approved, not suspended, owner not blocked); null for any other. */
  shop(id: string): Promise<{ id: string; name: string; nameZh: string | null } | null>;
  /**
   * What `GET /api/search` answers for these query parameters, for this request's shopper and within
   * its search budget; null when the API would refuse them (bad parameters, over budget).
   */
  search(params: Record<string, string>): Promise<SearchResult | null>;
  /** Where each product sitemap file starts (the id before its first product; null for the first). */
  sitemapStarts(): Promise<(string | null)[]>;
  /** One product sitemap file: the products on sale after `after`, in id order, read a file at a time. */
  sitemapProducts(
    after: string | null,
  ): Promise<{ id: string; urlHandle: string | null; lastModified: string }[]>;
  /**
   * The product a `/p/<key>` page names, as `GET /api/products/:id` gives it to an anonymous shopper: the
   * key is its URL handle (an `_id` read of the handle's claim), else its id, which moves to the handle.
   */
  product(key: string): Promise<ProductLookup>;
}

export function bridgeOf(req: IncomingMessage | undefined): StorefrontBridge | null {
  return ((req as { [STOREFRONT_BRIDGE]?: StorefrontBridge } | undefined)?.[STOREFRONT_BRIDGE] ??
    null) as StorefrontBridge | null;
}
