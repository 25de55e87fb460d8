/**
 * How long a browser or shared cache may show a public page while it asks again in the background. There
 * is no server-side page cache to invalidate: every request renders from the store, and SvelteKit tags a
 * rendered page with an ETag of its bytes (answering `304` to a matching `If-None-Match`), so the first
 * revalidation after a price or stock change gets the new page.
 */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, must-revalidate, stale-while-revalidate=30';

/**
 * Marks a server-rendered page for an anonymous visitor cacheable, with `Vary` on what picks the language
 * when the URL does not; a signed-in visitor's page private, with no ETag to revalidate against.
 */
export function withHttpCaching(request: Request, response: Response, opts: { signedIn: boolean }): Response {
  const html = response.headers.get('content-type')?.startsWith('text/html') ?? false;
  if (request.method !== 'GET' || response.status !== 200 || !html) return response;
  if (opts.signedIn) {
    response.headers.set('cache-control', 'private, no-store');
    response.headers.delete('etag');
    return response;
  }
  response.headers.set('cache-control', PUBLIC_PAGE_CACHE_CONTROL);
  response.headers.set('vary', 'Accept-Language, Cookie');
  return response;
}
