import { LEXICON } from './lexicon';

/**
 * Bilingual groups of equivalent phrases, one per lexicon entry (`lexicon.json`): every phrase in a
 * group finds what the others find, across languages (手机 ↔ phone, 苹果 ↔ apple). A phrase may be several
 * words ("cell phone"); a single Chinese character only counts when it is the whole query word (茶 alone
 * is tea, but 面包 is bread, not a bag).
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = LEXICON.map((entry) => entry.phrases);
