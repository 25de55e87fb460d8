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
});
