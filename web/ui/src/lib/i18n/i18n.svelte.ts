import { htmlLang, LANG_COOKIE } from './lang';
import { loadMessages, type MessagePart, type MessageTable } from './message-tables';
import type { MessageKey } from './messages';

export type Lang = 'en' | 'zh';

/**
 * The chosen language and the lookups that depend on it. It starts in the language the server rendered
 * the page in (`lang.ts`, `pickLang`), with that language's storefront messages (the root layout's
 * load), so hydration sees the same words; a choice is kept in a cookie, which the server reads for the
 * next page. Other parts of the catalogue, and the other language, are loaded when they are needed.
 */
export class I18n {
  lang = $state<Lang>('zh');
  /** Bumped when a table arrives later, so what was rendered without it is rendered again. */
  #revision = $state(0);
  #tables: Record<Lang, MessageTable> = { en: {}, zh: {} };
  #parts: MessagePart[] = [];

  constructor(initial: Lang, storefrontMessages: MessageTable) {
    this.lang = initial;
    this.#merge(initial, 'storefront', storefrontMessages);
    $effect.root(() => {
      $effect(() => {
        document.documentElement.lang = htmlLang(this.lang);
      });
    });
  }

  /**
   * Switches once the new language's tables (every part this page has loaded) are here, so the page never
   * shows a mix of languages or a key.
   */
  async setLang(lang: Lang): Promise<void> {
    document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=${365 * 86_400}; samesite=lax`;
    await Promise.all(this.#parts.map((part) => this.#ensure(lang, part)));
    this.lang = lang;
  }

  /** Adds a part of the catalogue (the `(client)` layout's load fetched it for `lang`) before it is used. */
  add(lang: Lang, part: MessagePart, table: MessageTable): void {
    this.#merge(lang, part, table);
    // The language changed while that part was loading: fetch it in the language now shown too.
    if (lang !== this.lang) void this.#ensure(this.lang, part);
  }

  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    void this.#revision;
    // A missing key is a build split that missed a use (`message-bundles.ts`): show the key, not a crash.
    const message = this.#tables[this.lang][key] ?? key;
    return message.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };

  /** Product, category and shop names: Chinese when chosen and present, English otherwise. */
  name = (item: { name: string; nameZh?: string | null }): string =>
    this.lang === 'zh' && item.nameZh ? item.nameZh : item.name;

  /** The name in the other language, when it exists and differs. */
  otherName = (item: { name: string; nameZh?: string | null }): string | null => {
    const other = this.lang === 'zh' ? item.name : item.nameZh;
    return other && other !== this.name(item) ? other : null;
  };

  #merge(lang: Lang, part: MessagePart, table: MessageTable): void {
    if (!this.#parts.includes(part)) this.#parts.push(part);
    // Not a state change: callers add a part before anything renders from it (and may run mid-render).
    Object.assign(this.#tables[lang], table);
  }

  async #ensure(lang: Lang, part: MessagePart): Promise<void> {
    const table = await loadMessages(lang, part);
    this.#merge(lang, part, table);
    this.#revision += 1;
  }

  formatDate = (iso: string): string =>
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway value, not state
    new Date(iso).toLocaleString(this.lang === 'zh' ? 'zh-CN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
}
