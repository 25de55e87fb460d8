/**
 * Path facts shared by pages and the router: the pages themselves are SvelteKit routes (`src/routes`).
 */

/** The back office's sections, one per entry of its left nav (`/admin/<section>`, see `params/`). */
export const ADMIN_SECTIONS = ['people', 'sellers', 'catalog', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export function isAdminSection(value: string): value is AdminSection {
  return (ADMIN_SECTIONS as readonly string[]).includes(value);
}

/** The in-app path for a link, or null when the browser should handle it (other site, API, download). */
export function inAppPath(href: string, base: string): string | null {
  const url = new URL(href, base);
  if (url.origin !== new URL(base).origin) return null;
  if (/^\/(api|media|socket\.io)\//.test(url.pathname)) return null;
  return url.pathname + url.search + url.hash;
}
