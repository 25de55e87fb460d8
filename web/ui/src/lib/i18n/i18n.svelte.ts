import { en, zh, type MessageKey } from './messages';

export type Lang = 'en' | 'zh';

const STORAGE_KEY = 'bazaar.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

/** The chosen language (persisted) and the lookups that depend on it. */
export class I18n {
  lang = $state<Lang>(initialLang());

  constructor() {
    $effect.root(() => {
      $effect(() => {
        document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
      });
    });
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode or storage disabled: the choice lasts for this page only.
    }
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

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // Storage unavailable; fall through to the browser language.
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
