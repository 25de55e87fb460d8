import { goto } from '$app/navigation';
import { page } from '$app/state';

/**
 * What the pages read of the current address and how they move, over SvelteKit's router: `path`,
 * `search` and `query` follow `page.url`; `navigate` is `goto`. Links need nothing: SvelteKit takes
 * same-origin clicks and leaves unknown paths (`/api/…`, `/media/…`) to the browser.
 */
export class Router {
  readonly path = $derived(page.url.pathname);
  readonly search = $derived(page.url.search);
  // A copy: SvelteKit's is read-only, and pages build new queries from this one.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt, never mutated, on navigation
  readonly query = $derived(new URLSearchParams(page.url.search));

  /** `keepScroll` is for query-only changes such as filters, where jumping to the top would be jarring. */
  navigate(href: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway value, not state
    if (new URL(href, page.url.href).href === page.url.href) return;
    void goto(href, { replace: options.replace ?? false, reset: !options.keepScroll });
  }
}
