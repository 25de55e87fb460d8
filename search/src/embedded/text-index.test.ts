import MiniSearch from 'minisearch';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JUDGED_QUERIES_FILE, loadEvalCorpus, type JudgedQueryFile } from '../../eval';
import { fixtureDocuments } from '../../test/contract-fixture';
import { parseQuery } from '../analysis';
import type { SearchDocument } from '../types';
import { decodeTerm } from './han-encoding';
import { emptyVocabularies, SUGGEST_FIELDS, TextIndex } from './text-index';

/**
 * The text index evaluates its queries clause by clause on MiniSearch's internals (the rarest clause
 * first, the others only over what is still in the running). These tests hold it to what MiniSearch's own
 * `search` answers for the same query tree, document by document, on the 2,066 Best Buy products and
 * every judged query — so an optimisation or a MiniSearch upgrade that changes a match or a score fails.
 */
describe('text index', () => {
  const documents: SearchDocument[] = [
    ...fixtureDocuments(),
    ...loadEvalCorpus().map((product) => product.document),
  ];
  const index = new TextIndex();
  index.putMany(documents);
  const reference = new MiniSearch<SearchDocument>(TextIndex.options(emptyVocabularies()));
  reference.addAll(documents);
  // Replaced documents: their old postings go in a vacuum. (Until then a search meets them, drops them
  // and counts document frequencies without them from there on — so scores depend on which searches
  // ran before, in MiniSearch as here; the two sides would only agree by running the same ones.)
  beforeAll(async () => {
    for (const doc of documents.filter((_, i) => i % 10 === 0)) {
      const changed = { ...doc, name: `${doc.name} Refurbished`, version: doc.version + 1 };
      index.put(changed);
      reference.discard(doc.id);
      reference.add(changed);
    }
    await Promise.all([index.vacuum(), reference.vacuum()]);
  });
  const judged = (JSON.parse(readFileSync(JUDGED_QUERIES_FILE, 'utf8')) as JudgedQueryFile).queries;
  const queries = [
    ...judged.map((query) => query.q),
    'xiaomi mobile phone',
    'samsung cell phones',
    'iphnoe case',
    'headph',
    '蓝牙耳机',
    '苹果 手机壳',
  ];

  it.each([false, true])('matches and scores as MiniSearch does (autocomplete: %s)', (typing) => {
    const fields = typing ? SUGGEST_FIELDS : undefined;
    let compared = 0;
    for (const q of queries) {
      const parsed = parseQuery(q);
      if (!parsed.clauses.length) continue;
      const expected = reference.search(
        { combineWith: 'AND', queries: index.clauseQueries(parsed, typing) },
        index.searchOptions(fields),
      );
      const { matches } = index.search(parsed, fields, typing);
      // Fewer than 50 full matches also brings partial matches in (unchanged, below them).
      if (expected.length >= 50) expect(matches.size, q).toBe(expected.length);
      for (const result of expected) {
        const match = matches.get(result.id as string);
        // Terms in any order: highlighting treats them as a set.
        expect(match && { score: match.score, terms: [...match.terms].sort() }, `${q}: ${result.id}`).toEqual(
          {
            score: result.score,
            terms: result.terms.map(decodeTerm).sort(),
          },
        );
      }
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('scores long posting lists read from their copies as MiniSearch does, also with removals pending', () => {
    const documents: SearchDocument[] = loadEvalCorpus().map((product) => product.document);
    const index = new TextIndex();
    index.putMany(documents);
    const reference = new MiniSearch<SearchDocument>(TextIndex.options(emptyVocabularies()));
    reference.addAll(documents);
    const compare = (q: string) => {
      const parsed = parseQuery(`${q} `);
      const expected = reference.search(
        { combineWith: 'AND', queries: index.clauseQueries(parsed) },
        index.searchOptions(),
      );
      const { matches } = index.search(parsed);
      expect(matches.size, q).toBe(expected.length);
      for (const result of expected) expect(matches.get(result.id as string)?.score, q).toBe(result.score);
      return expected.length;
    };
    // One-word queries: each posting list is walked once per search on both sides, so the removed
    // documents they meet (and count out) are the same.
    const words = ['phone', 'case', 'black', 'samsung', 'cable', 'tv'];
    let compared = 0;
    for (const q of words) compared += compare(q); // copies made
    for (const q of words) compared += compare(q); // copies read
    // Replaced documents not vacuumed (too few for MiniSearch's automatic vacuum, at 10 %): their old
    // postings are in the lists and in the copies.
    for (const doc of documents.filter((_, i) => i % 15 === 0)) {
      const changed = { ...doc, name: `${doc.name} Refurbished`, version: doc.version + 1 };
      index.put(changed);
      reference.discard(doc.id);
      reference.add(changed);
    }
    for (const q of words) compared += compare(q);
    for (const q of words) compared += compare(q);
    expect(compared).toBeGreaterThan(1000);
  });
});
