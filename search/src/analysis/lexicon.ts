import { readFileSync } from 'node:fs';

/**
 * The bilingual lexicon (`lexicon.json`): brands with their Chinese names and common aliases, colours,
 * materials, conditions, features, units, device and accessory kinds. Data, not code, so it can be
 * reviewed and extended without touching the analyzer. Every phrase of an entry finds what the others
 * find (手机 ↔ phone, 苹果 ↔ apple, 黑色 ↔ black), and scores below the words the shopper typed.
 */
export const LEXICON_TYPES = [
  'brand',
  'kind',
  'colour',
  'material',
  'condition',
  'feature',
  'unit',
  'audience',
] as const;
export type LexiconType = (typeof LEXICON_TYPES)[number];

export interface LexiconEntry {
  type: LexiconType;
  /** English and Chinese phrases; the first English one names the entry. */
  phrases: readonly string[];
}

/** Brands and kinds are what a query is about: such a word is never dropped silently (see query.ts). */
export const DISCRIMINATING_TYPES: ReadonlySet<LexiconType> = new Set(['brand', 'kind']);

const FILE = new URL('./lexicon.json', import.meta.url);
const raw = readFileSync(FILE, 'utf8');

function validate(json: unknown): LexiconEntry[] {
  const entries = (json as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new Error(`${FILE.pathname}: no "entries" list`);
  return entries.map((entry: { type?: unknown; phrases?: unknown }, i) => {
    if (!LEXICON_TYPES.includes(entry.type as LexiconType))
      throw new Error(`${FILE.pathname}: entry ${i} has an unknown type ${String(entry.type)}`);
    if (!Array.isArray(entry.phrases) || entry.phrases.length < 2 || entry.phrases.some((p) => !p))
      throw new Error(`${FILE.pathname}: entry ${i} needs two or more phrases`);
    return { type: entry.type as LexiconType, phrases: entry.phrases as string[] };
  });
}

export const LEXICON: readonly LexiconEntry[] = validate(JSON.parse(raw));

/** A short fingerprint of the lexicon, part of the analyzer version: index-time concepts depend on it. */
export const LEXICON_VERSION =
  [...raw].reduce((h, ch) => (Math.imul(h, 31) + ch.codePointAt(0)!) | 0, 7) >>> 0;

/** The entry's index term: `^type:name`, where name is its first phrase without spaces. */
export function conceptTerm(entry: LexiconEntry): string {
  const name = (entry.phrases.find((p) => /^[\x20-\x7e]+$/.test(p)) ?? entry.phrases[0]!).toLowerCase();
  return `^${entry.type}:${name.replace(/[^a-z0-9\u4e00-\u9fff]+/g, '')}`;
}
