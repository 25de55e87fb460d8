import type { RequestHandler } from './$types';

/** Crawl the shop's public pages; not the signed-in ones, the API or the staff consoles. */
const PRIVATE_PATHS = [
  '/api/',
  '/cart',
  '/checkout',
  '/orders',
  '/account',
  '/notifications',
  '/seller',
  '/admin',
  '/support',
  '/courier',
  '/pay/',
  '/aftersales/',
  '/login',
  '/register',
  '/dev/',
];

export const GET: RequestHandler = ({ locals }) =>
  new Response(
    [
      'User-agent: *',
      'Allow: /',
      ...PRIVATE_PATHS.map((path) => `Disallow: ${path}`),
      '',
      `Sitemap: ${new URL('/sitemap.xml', locals.storefront.publicOrigin).href}`,
      '',
    ].join('\n'),
    { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' } },
  );
