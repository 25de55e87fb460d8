import type { Lang } from '../i18n/i18n.svelte';
import { LANGS } from '../i18n/lang';

/**
 * A page's canonical URL in one language and its other-language alternates: the path plus the query
 * parameters that change what the page is (a search's `q`), with `?lang=` last. Filters and sorts are
 * left out, so a crawler sees one URL per page, not one per filter combination.
 */
export function pageUrls(
  origin: string,
  pathname: string,
  lang: Lang,
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
