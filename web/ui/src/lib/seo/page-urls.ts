import type { Lang } from '../i18n/i18n.svelte';
import { isLang, LANGS } from '../i18n/lang';

/** The language the URL names (`?lang=`), or null when the server picked it for the visitor. */
export function urlLang(url: { searchParams: { get(name: string): string | null } }): Lang | null {
  const lang = url.searchParams.get('lang');
  return isLang(lang) ? lang : null;
}

/**
 * A page's canonical URL and its language alternates: the path plus the query parameters that change
 * what the page is (a search's `q`), with `?lang=` last. Filters and sorts are left out, so a crawler
 * sees one URL per page, not one per filter combination. `lang` is the language the URL names: a page
 * reached without `?lang=` serves whichever language the visitor asks for, so it is its own canonical
 * (the x-default) rather than one language's URL, which would send crawlers of the x-default to another
 * `hreflang` entry (a cross-language canonical, which search engines and Lighthouse reject).
 */
export function pageUrls(
  origin: string,
  pathname: string,
  lang: Lang | null,
  keep: Record<string, string> = {},
): { canonical: string; alternates: { hreflang: string; href: string }[] } {
  const href = (language: Lang | null) => {
    const url = new URL(pathname, origin);
    for (const [key, value] of Object.entries(keep)) url.searchParams.set(key, value);
    if (language) url.searchParams.set('lang', language);
    return url.href;
  };
  return {
    canonical: href(lang),
    alternates: [
      ...LANGS.map((language) => ({ hreflang: language === 'zh' ? 'zh-CN' : 'en', href: href(language) })),
      // Without `lang` the server picks the visitor's language: the page for everyone else.
      { hreflang: 'x-default', href: href(null) },
    ],
  };
}
