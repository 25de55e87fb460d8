import type { Handle } from '@sveltejs/kit/hooks';
import { htmlLang, LANG_COOKIE, pickLang } from './lib/i18n/lang';
import { compressPage } from './lib/server/compression';
import { withHttpCaching } from './lib/server/http-cache';
import { bridgeOf } from './lib/server/storefront-bridge';

/**
 * The `'sha256-…'` sources SvelteKit put in a directive: in `script-src` for the inline script that starts
 * the app, in `style-src` for the page's stylesheets it inlined (`inlineStyleThreshold`, ui/vite.config.ts).
 */
function hashSources(policy: string, directive: 'script-src' | 'style-src'): string[] {
  const found = policy.split(';').find((d) => d.trim().startsWith(`${directive} `));
  return found?.match(/'sha\d+-[^']+'/g) ?? [];
}

export const handle: Handle = async ({ event, resolve }) => {
  const bridge = bridgeOf(event.platform?.req);
  if (!bridge) {
    throw new Error(
      'The storefront runs inside the Koa app (web/src/http/storefront.ts), which passes it a bridge',
    );
  }
  event.locals.storefront = bridge;
  const lang = pickLang({
    query: event.url.searchParams.get('lang'),
    cookie: event.cookies.get(LANG_COOKIE),
    acceptLanguage: event.request.headers.get('accept-language'),
  });
  event.locals.lang = lang;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', htmlLang(lang)),
  });
  const kitPolicy = response.headers.get('content-security-policy');
  if (kitPolicy !== null) {
    response.headers.set(
      'content-security-policy',
      bridge.contentSecurityPolicy({
        scripts: hashSources(kitPolicy, 'script-src'),
        styles: hashSources(kitPolicy, 'style-src'),
      }),
    );
  }
  return compressPage(event.request, withHttpCaching(event.request, response, { signedIn: bridge.signedIn }));
};
