import { htmlLang, LANG_COOKIE } from './lang';
import { en, zh, type MessageKey } from './messages';

export type Lang = 'en' | 'zh';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

/**
 * The chosen language and the lookups that depend on it. It starts in the language the server rendered
 * the page in (`lang.ts`, `pickLang`), so hydration sees the same words; a choice is kept in a cookie,
 * which the server reads for the next page.
 */
export class I18n {
  lang = $state<Lang>('zh');

  constructor(initial: Lang) {
    this.lang = initial;
    $effect.root(() => {
      $effect(() => {
        document.documentElement.lang = htmlLang(this.lang);
      });
    });
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=${365 * 86_400}; samesite=lax`;
  }

  t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    dictionaries[this.lang][key].replace(/\{(\w+)\}/g, (_, name: string) =>
      String(params[name] ?? `{${name}}`),
    );

  /** Product, category and shop names: Chinese when chosen and present, English otherwise. */
  name = (item: { name: string; nameZh?: string | null }): string =>
    this.lang === 'zh' && item.nameZh ? item.nameZh : item.name;

  /** The name in the other language, when it exists and differs. */
  otherName = (item: { name: string; nameZh?: string | null }): string | null => {
    const other = this.lang === 'zh' ? item.name : item.nameZh;
    return other && other !== this.name(item) ? other : null;
  };

  formatDate = (iso: string): string =>
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway value, not state
    new Date(iso).toLocaleString(this.lang === 'zh' ? 'zh-CN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
}
