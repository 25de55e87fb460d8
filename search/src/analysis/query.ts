import { hanQueryTerms, segmentChinese } from './chinese';
import { isStopword, stemEnglish } from './english';
import { conceptTerm, DISCRIMINATING_TYPES, LEXICON, type LexiconEntry, type LexiconType } from './lexicon';
import { foldText, splitRuns } from './normalize';
import { allowedEdits } from './typos';

/**
 * A query as clauses that must all match (AND). A clause matches when its own terms all match, or any of
 * its synonym alternatives does. Engines turn this into their own query language; the embedded engine
 * into a MiniSearch query tree, Elasticsearch could into bool/should.
 */
export interface QueryClause {
  /** The words of the query this clause came from, as typed (folded). */
  surface: string;
  han: boolean;
  /** Index terms that must all be present. */
  terms: string[];
  /** Other ways to satisfy the clause (each a list of terms that must all be present). */
  alternatives: string[][];
  /** Edits allowed on the single Latin term (0 for Chinese and multi-term clauses). */
  fuzzy: number;
  /** The last word while the shopper may still be typing it (the engine decides whether it is complete). */
  prefix: boolean;
  /** A single Latin word as typed, folded but not stemmed (the prefix is matched on it); '' otherwise. */
  typed: string;
  /** The lexicon's type for the words, when they are a lexicon phrase (a brand or kind first). */
  type?: LexiconType;
  /** Index terms of the lexicon entries the words name (`^brand:apple`), matched on the concepts field. */
  concepts: string[];
}

export interface ParsedQuery {
  clauses: QueryClause[];
  /** The folded query, words separated by single spaces, for exact-phrase comparison. */
  phrase: string;
}

/** A unit is one Latin word (stemmed) or one Chinese character; synonym keys are unit sequences. */
interface Unit {
  key: string;
  han: boolean;
  /** Index of the text run the unit came from (a Han run contributes one unit per character). */
  run: number;
}

function toUnits(text: string): Unit[] {
  const units: Unit[] = [];
  splitRuns(foldText(text)).forEach((run, i) => {
    if (run.han) for (const ch of run.text) units.push({ key: ch, han: true, run: i });
    else units.push({ key: stemEnglish(run.text), han: false, run: i });
  });
  return units;
}

function termsOfUnits(units: Unit[]): string[] {
  const terms: string[] = [];
  let han = '';
  for (const unit of units) {
    if (unit.han) {
      han += unit.key;
      continue;
    }
    if (han) terms.push(...hanQueryTerms(han));
    han = '';
    terms.push(unit.key);
  }
  if (han) terms.push(...hanQueryTerms(han));
  return terms;
}

interface SynonymEntry {
  groups: number[];
  unitCount: number;
}

/** Unit-sequence key → lexicon entries, and each entry's phrases as query terms; built once. */
const dictionary = new Map<string, SynonymEntry>();
const groupTerms: string[][][] = [];
let longestKey = 1;
LEXICON.forEach((entry, g) => {
  const group = entry.phrases;
  groupTerms.push(
    group.map((phrase) => termsOfUnits(toUnits(phrase).filter((u) => u.han || !isStopword(u.key)))),
  );
  for (const phrase of group) {
    const units = toUnits(phrase).filter((u) => u.han || !isStopword(u.key));
    const key = units.map((u) => u.key).join(' ');
    const entry = dictionary.get(key) ?? { groups: [], unitCount: units.length };
    if (!entry.groups.includes(g)) entry.groups.push(g);
    dictionary.set(key, entry);
    longestKey = Math.max(longestKey, units.length);
  }
});

/** The longest synonym phrase starting at `start`, if any. */
function matchSynonym(units: Unit[], start: number): SynonymEntry | undefined {
  for (let length = Math.min(longestKey, units.length - start); length >= 1; length--) {
    const slice = units.slice(start, start + length);
    const entry = dictionary.get(slice.map((u) => u.key).join(' '));
    if (!entry) continue;
    // A lone Chinese character is a synonym only when it is the whole query word.
    if (length === 1 && slice[0]!.han) {
      const sameRun = units.filter((u) => u.run === slice[0]!.run).length;
      if (sameRun > 1) continue;
    }
    return entry;
  }
  return undefined;
}

function alternativesFor(entry: SynonymEntry, own: string[]): string[][] {
  const ownKey = own.join(' ');
  const seen = new Set([ownKey]);
  const out: string[][] = [];
  for (const g of entry.groups) {
    for (const terms of groupTerms[g]!) {
      const key = terms.join(' ');
      if (terms.length && !seen.has(key)) {
        seen.add(key);
        out.push(terms);
      }
    }
  }
  return out;
}

/** The entry that speaks for a match: a brand or kind before an attribute. */
function typeOf(entry: SynonymEntry): LexiconType {
  const types = entry.groups.map((g) => LEXICON[g]!.type);
  return types.find((t) => DISCRIMINATING_TYPES.has(t)) ?? types[0]!;
}

function latinClause(unit: Unit, surface: string): QueryClause {
  return {
    surface,
    han: false,
    terms: [unit.key],
    alternatives: [],
    fuzzy: allowedEdits(unit.key),
    prefix: false,
    typed: surface,
    concepts: [],
  };
}

/** Unmatched Chinese characters: words by the segmenter, each a clause of its bigrams. */
function hanClauses(text: string): QueryClause[] {
  return segmentChinese(text).map((word) => ({
    surface: word,
    han: true,
    terms: hanQueryTerms(word),
    // A longer word is also tried whole: documents where the segmenter found the same word rank higher.
    alternatives: Array.from(word).length >= 3 ? [[word]] : [],
    fuzzy: 0,
    prefix: false,
    typed: '',
    concepts: [],
  }));
}

/** The matched words as typed: Latin words spaced, Chinese characters joined. */
function surfaceOf(units: Unit[], rawByRun: string[]): string {
  let out = '';
  units.forEach((u, i) => {
    const gap = i > 0 && !(u.han && units[i - 1]!.han && units[i - 1]!.run === u.run) ? ' ' : '';
    out += gap + (u.han ? u.key : rawByRun[u.run]!);
  });
  return out;
}

export function parseQuery(q: string): ParsedQuery {
  const folded = foldText(q);
  const runs = splitRuns(folded);
  let units = toUnits(q);
  const meaningful = units.filter((u) => u.han || !isStopword(u.key));
  if (meaningful.length) units = meaningful;
  const rawByRun = runs.map((r) => r.text);
  const clauses: QueryClause[] = [];
  let pendingHan: Unit[] = [];
  const flushHan = () => {
    if (pendingHan.length) clauses.push(...hanClauses(pendingHan.map((u) => u.key).join('')));
    pendingHan = [];
  };
  for (let i = 0; i < units.length;) {
    const entry = matchSynonym(units, i);
    if (entry) {
      flushHan();
      const matched = units.slice(i, i + entry.unitCount);
      const terms = termsOfUnits(matched);
      const single = matched.length === 1 && !matched[0]!.han;
      clauses.push({
        surface: surfaceOf(matched, rawByRun),
        han: matched.some((u) => u.han),
        terms,
        alternatives: alternativesFor(entry, terms),
        fuzzy: single ? allowedEdits(matched[0]!.key) : 0,
        prefix: false,
        typed: single ? rawByRun[matched[0]!.run]! : '',
        type: typeOf(entry),
        concepts: entry.groups.map((g) => conceptTerm(LEXICON[g]!)),
      });
      i += entry.unitCount;
      continue;
    }
    const unit = units[i]!;
    if (unit.han) {
      if (pendingHan.length && pendingHan.at(-1)!.run !== unit.run) flushHan();
      pendingHan.push(unit);
    } else {
      flushHan();
      clauses.push(latinClause(unit, rawByRun[unit.run]!));
    }
    i++;
  }
  flushHan();
  // Search-as-you-type: the last word may be a prefix unless the shopper already typed a space after it.
  const last = clauses.at(-1);
  if (last && !last.han && last.terms.length === 1 && last.typed && !/\s$/.test(q)) last.prefix = true;
  return { clauses, phrase: runs.map((r) => r.text).join(' ') };
}

/** Whether a folded word is a phrase of the lexicon (then it is a complete word, never a prefix). */
export function isLexiconWord(word: string): boolean {
  const entry = dictionary.get(stemEnglish(word));
  return !!entry && entry.unitCount === 1;
}

/**
 * The lexicon entries a text names, longest phrase first ("rose gold" rather than "gold"), optionally
 * only of some types: what the index records as a product's brand, kind, colour … (its concepts).
 */
export function lexiconEntriesIn(text: string, types?: ReadonlySet<LexiconType>): LexiconEntry[] {
  const units = toUnits(text).filter((u) => u.han || !isStopword(u.key));
  const found = new Set<LexiconEntry>();
  for (let i = 0; i < units.length;) {
    const entry = matchSynonym(units, i);
    if (!entry) {
      i++;
      continue;
    }
    for (const g of entry.groups) {
      const lexiconEntry = LEXICON[g]!;
      if (!types || types.has(lexiconEntry.type)) found.add(lexiconEntry);
    }
    i += entry.unitCount;
  }
  return [...found];
}
