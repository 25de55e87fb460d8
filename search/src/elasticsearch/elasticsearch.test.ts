import { Client } from '@elastic/elasticsearch';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runSearchContract } from '../../test/contract';
import type { SearchDocument, SearchQuery } from '../types';
import { createElasticsearchEngine, type ElasticsearchEngine } from './index';

/**
 * Runs only against a real cluster: `ELASTICSEARCH_URL=http://localhost:9200 npx vitest run
 * search/src/elasticsearch`. Without the variable these suites are reported as skipped.
 * Every engine gets its own alias `test_<run>_<n>`; all of them are deleted at the end.
 */
const url = process.env.ELASTICSEARCH_URL;
const run = `test_${randomBytes(4).toString('hex')}`;
let engines = 0;

function newEngine(): ElasticsearchEngine {
  return createElasticsearchEngine({ url: url!, indexPrefix: `${run}_${++engines}` });
}

afterAll(async () => {
  if (!url) return;
  const admin = new Client({ node: url });
  try {
    const indices = Object.keys(await admin.indices.get({ index: `${run}_*`, allow_no_indices: true }));
    if (indices.length) await admin.indices.delete({ index: indices, ignore_unavailable: true });
  } finally {
    await admin.close();
  }
});

describe.runIf(url)('elasticsearch: search contract', () => {
  runSearchContract('elasticsearch', async () => {
    const engine = newEngine();
    await engine.ready();
    return engine;
  });
});

function product(i: number, version = 1): SearchDocument {
  return {
    id: `p${i}`,
    name: `Wireless headphones model ${i}`,
    nameZh: `无线蓝牙耳机 ${i}`,
    brand: i % 2 ? 'Sony' : 'Bose',
    description: 'Over-ear headphones with noise cancelling.',
    descriptionZh: '头戴式降噪耳机。',
    categoryId: 'c-audio-headphones',
    categoryPath: ['c-audio', 'c-audio-headphones'],
    categoryNames: ['Audio', '音频', 'Headphones', '耳机'],
    shopId: 's1',
    shopName: 'Sound Shop',
    attributes: ['Black 黑色'],
    tags: ['audio'],
    priceMin: 29_900 + i,
    priceMax: 29_900 + i,
    available: 5,
    inStock: true,
    popularity: i,
    rating: 4.5,
    createdAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    version,
  };
}

const query: SearchQuery = { q: 'headphones', filters: {}, sort: 'relevance', page: 1, pageSize: 5 };

describe.runIf(url)('elasticsearch: index lifecycle', () => {
  it('reindexes into a new version and swaps the alias while searches keep answering', async () => {
    const engine = newEngine();
    const admin = new Client({ node: url! });
    try {
      await engine.ready();
      await engine.upsert(Array.from({ length: 20 }, (_, i) => product(i)));
      await engine.refresh();
      const [before] = Object.keys(await admin.indices.getAlias({ name: engine.alias }));

      // A slow source: searches run against the old version while the new one fills.
      async function* source() {
        for (let i = 0; i < 30; i++) {
          if (i % 10 === 0) await new Promise((r) => setTimeout(r, 50));
          yield product(i, 2);
        }
      }
      let searching = true;
      const totals: number[] = [];
      const searches = (async () => {
        while (searching) totals.push((await engine.search(query)).total);
      })();
      const result = await engine.reindex(source());
      searching = false;
      await searches;

      expect(result).toMatchObject({ previous: [before], applied: 30, skipped: 0 });
      expect(Object.keys(await admin.indices.getAlias({ name: engine.alias }))).toEqual([result.index]);
      expect(await admin.indices.exists({ index: before! })).toBe(false);
      expect(totals.length).toBeGreaterThan(0);
      expect(totals.every((t) => t === 20 || t === 30)).toBe(true);
      expect((await engine.search(query)).total).toBe(30);
      expect((await engine.versions()).get('p0')).toBe(2);
    } finally {
      await admin.close();
      await engine.close();
    }
  });

  it('ignores an older version arriving after a newer one', async () => {
    const engine = newEngine();
    try {
      await engine.upsert([product(1, 5)]);
      await engine.upsert([{ ...product(1, 4), name: 'Stale name' }]);
      await engine.refresh();
      const { hits } = await engine.search({ ...query, q: '' });
      expect(hits.map((h) => [h.id, h.document.version, h.document.name])).toEqual([
        ['p1', 5, 'Wireless headphones model 1'],
      ]);
    } finally {
      await engine.close();
    }
  });
});
