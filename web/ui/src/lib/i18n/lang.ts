import type { Lang } from './i18n.svelte';

/** The language a shopper chose, for the server to render in (set by `I18n.setLang`). */
export const LANG_COOKIE = 'bazaar.lang';
export const LANGS: readonly Lang[] = ['zh', 'en'];

export function isLang(value: string | null | undefined): value is Lang {
  return value === 'zh' || value === 'en';
}

/**
 * The language a page renders in on the server, and so hydrates in: `?lang=` when the URL names one (the
 * stable, crawlable form each page's `hreflang` links use), else the shopper's saved choice, else the
 * browser's first preference; Chinese when nothing says (a crawler without Accept-Language).
 */
export function pickLang(source: {
  query: string | null;
  cookie: string | undefined;
  acceptLanguage: string | null;
}): Lang {
  if (isLang(source.query)) return source.query;
  if (isLang(source.cookie)) return source.cookie;
  const first = source.acceptLanguage?.split(',')[0]?.trim().toLowerCase();
  if (!first || first === '*') return 'zh';
  return first.startsWith('zh') ? 'zh' : 'en';
}

/** The `<html lang>` value for a language. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}
