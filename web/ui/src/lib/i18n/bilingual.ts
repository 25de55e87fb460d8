import type { Category } from '../api/wire';
import type { Lang } from './i18n.svelte';

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;
/**
 * "Rose Gold 玫瑰金", "2 Cases 2箱": the English words, a space, then the Chinese (which may open with a
 * number and has no Latin letters).
 */
const PAIR = /^(.*?[^\s])\s+([\d.]*\p{Script=Han}[^A-Za-z]*)$/u;

/**
 * One language of a text that sellers wrote in both, English first ("Black 黑色", "Espresso Grind
 * 意式研磨", a variant title "Black 黑色 / XL"): each " / " part is cut where its Chinese begins, and the
 * page's language kept. Parts in one language only ("256GB", "XL", "适用 iPhone") stay as written.
 */
export function inLanguage(text: string, lang: Lang): string {
  return text
    .split(' / ')
    .map((part) => {
      const pair = PAIR.exec(part.trim());
      if (!pair || HAN.test(pair[1]!) || !LATIN.test(pair[1]!)) return part;
      return lang === 'zh' ? pair[2]! : pair[1]!;
    })
    .join(' / ');
}

/** Tags the demo and many sellers use, as words rather than slugs. */
const KNOWN_TAGS: Record<string, { en: string; zh: string }> = {
  'free-shipping': { en: 'Free shipping', zh: '包邮' },
  new: { en: 'New', zh: '新品' },
  bestseller: { en: 'Bestseller', zh: '热销' },
};

/**
 * A product's tags as labels in the page's language, each once. Tags are search keywords in both
 * languages and slugs (`storage-devices`, `free-shipping`): a category's slug or Chinese name becomes the
 * category's name, known slugs their label; then the page keeps the keywords of its own language
 * (Chinese ones in Chinese; Latin ones in English, and in Chinese only the brand), with hyphens read as
 * spaces.
 */
export function tagLabels(
  tags: readonly string[],
  context: { lang: Lang; brand: string; categories: readonly Category[] },
): string[] {
  const { lang, brand, categories } = context;
  const bySlug = new Map(categories.map((c) => [c.slug.toLowerCase(), c]));
  const byZh = new Map(categories.map((c) => [c.nameZh, c]));
  const labels = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (!tag) continue;
    const key = tag.toLowerCase();
    const category = bySlug.get(key) ?? byZh.get(tag);
    let label: string | null;
    if (category) label = lang === 'zh' && category.nameZh ? category.nameZh : category.name;
    else if (KNOWN_TAGS[key]) label = KNOWN_TAGS[key][lang];
    else if (HAN.test(tag)) label = lang === 'zh' ? tag : null;
    else if (lang === 'zh' && key !== brand.toLowerCase()) label = null;
    else label = key === brand.toLowerCase() && brand ? brand : tag.replace(/-/g, ' ');
    if (label && !labels.has(label.toLowerCase())) labels.set(label.toLowerCase(), label);
  }
  return [...labels.values()];
}
