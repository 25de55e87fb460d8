import type { Router } from './router.svelte';
import { inAppPath } from './routes';

/**
 * Goes where a server told us to (a payment page, its return URL): in the app when the URL is one of our
 * pages, which keeps the socket connected; as a full page load when it is another site (a real provider).
 */
export function followRedirect(router: Router, url: string, options: { replace?: boolean } = {}): void {
  const path = inAppPath(url, location.href);
  if (path === null) {
    if (options.replace) location.replace(url);
    else location.assign(url);
    return;
  }
  router.navigate(path, options);
}
