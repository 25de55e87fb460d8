import { absoluteUrl, inAppPath, matchRoute } from './routes';

export type { Route } from './routes';

/** A small History-API router: one delegated click listener and `popstate` keep `path`/`search` current. */
export class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  readonly route = $derived(matchRoute(this.path));
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt, never mutated, when `search` changes
  readonly query = $derived(new URLSearchParams(this.search));

  constructor() {
    addEventListener('popstate', () => this.#sync());
    document.addEventListener('click', (event) => {
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (!anchor || event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      if ((anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
      const path = inAppPath(anchor.href, location.href);
      if (path === null) return;
      event.preventDefault();
      this.navigate(path);
    });
  }

  /** `keepScroll` is for query-only changes such as filters, where jumping to the top would be jarring. */
  navigate(href: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
    if (absoluteUrl(href, location.href) === location.href) return;
    history[options.replace ? 'replaceState' : 'pushState'](null, '', href);
    this.#sync();
    if (!options.keepScroll) scrollTo({ top: 0 });
  }

  #sync(): void {
    this.path = location.pathname;
    this.search = location.search;
  }
}
