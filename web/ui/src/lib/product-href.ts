/**
 * A product page's path: `/p/<urlHandle>` when the handle is known, else `/p/<id>`, which the server
 * answers with a 301 to the handle URL (so pages that only hold an id, like order lines, still land on it).
 * Every storefront link to a product goes through here rather than writing `/p/…` itself.
 */
export function productHref(product: { id: string; urlHandle?: string | null }, hash = ''): string {
  return `/p/${encodeURIComponent(product.urlHandle ?? product.id)}${hash}`;
}
