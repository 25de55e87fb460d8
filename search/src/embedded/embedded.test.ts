import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDocuments } from '../../test/contract-fixture';
import { runSearchContract } from '../../test/contract';
import type { SearchQuery } from '../types';
import { createEmbeddedSearchEngine } from '.';

runSearchContract('embedded', async () => createEmbeddedSearchEngine());

const browse = (q: string): SearchQuery => ({ q, filters: {}, sort: 'relevance', page: 1, pageSize: 10 });

describe('embedded engine', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-search-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a snapshot: same documents, versions and answers', async () => {
    const file = path.join(dir, 'round-trip', 'products.snapshot');
    const original = createEmbeddedSearchEngine({ snapshotPath: file });
    await original.upsert(fixtureDocuments());
    await original.upsert([{ ...fixtureDocuments()[0]!, name: 'Apple iPhone 15 Pro Max', version: 3 }]);
    await original.close(); // writes the snapshot because the index changed

    const restored = createEmbeddedSearchEngine({ snapshotPath: file });
    expect(await restored.versions()).toEqual(await original.versions());
    for (const q of ['iphone pro max', 'iphnoe', '蓝牙耳机', '手机', 'headph']) {
      const [a, b] = await Promise.all([original.search(browse(q)), restored.search(browse(q))]);
      expect(b.hits.map((h) => h.id)).toEqual(a.hits.map((h) => h.id));
    }
    expect((await restored.search(browse('cahrgr'))).didYouMean).toBeTruthy();
    // The restored index keeps taking writes.
    await restored.remove(['iphone15']);
    const after = await restored.search(browse('iphone pro max'));
    expect(after.hits.map((h) => h.id)).not.toContain('iphone15');
    expect(after.ignored).toContain('max'); // nothing left says "max": the other words are searched
  });

  it('answers a repeated search from its cache, never after a write, and hands out copies', async () => {
    const engine = createEmbeddedSearchEngine();
    await engine.upsert(fixtureDocuments());
    const first = await engine.search(browse('headphones'));
    first.hits.reverse();
    first.facets.brand = [];
    const again = await engine.search(browse('headphones'));
    expect(again.hits.map((h) => h.id)).toEqual([...first.hits].reverse().map((h) => h.id));
    expect(again.facets.brand.length).toBeGreaterThan(0);
    // A trailing space ends the last word: not the same query for the cache.
    expect((await engine.search(browse('headph'))).total).toBeGreaterThan(0);
    expect((await engine.search(browse('headph '))).total).toBe(0);
    expect((await engine.search(browse('earmuffs'))).total).toBe(0); // now cached as "nothing"
    const sony = fixtureDocuments().find((d) => d.id === 'sonyxm5')!;
    await engine.upsert([{ ...sony, name: 'Sony WH-1000XM5 Earmuffs', version: 2 }]);
    expect((await engine.search(browse('earmuffs'))).hits.map((h) => h.id)).toEqual(['sonyxm5']);
    expect((await engine.search(browse('headphones'))).hits.map((h) => h.id)).toContain('jbltune');
    await engine.remove(['jbltune']);
    expect((await engine.search(browse('headphones'))).hits.map((h) => h.id)).not.toContain('jbltune');
  });

  it('starts empty from a snapshot of another format instead of failing', async () => {
    const file = path.join(dir, 'old.snapshot');
    writeFileSync(file, '{"format":"bazaar-search-snapshot","formatVersion":0}\n');
    const engine = createEmbeddedSearchEngine({ snapshotPath: file });
    expect((await engine.stats()).documents).toBe(0);
    expect((await engine.health()).ok).toBe(true);
  });

  it('holds 10k documents and answers quickly', async () => {
    const base = fixtureDocuments();
    const docs = Array.from({ length: 10_000 }, (_, i) => {
      const d = base[i % base.length]!;
      return { ...d, id: `${d.id}-${i}`, name: `${d.name} Edition ${i}`, popularity: i % 997 };
    });
    const engine = createEmbeddedSearchEngine();
    const started = performance.now();
    await engine.upsert(docs);
    const buildMs = performance.now() - started;
    expect((await engine.stats()).documents).toBe(10_000);
    expect(buildMs).toBeLessThan(30_000);
    const result = await engine.search({
      ...browse('wireless headphones'),
      filters: { inStock: true },
      sort: 'relevance',
    });
    expect(result.total).toBeGreaterThan(0);
    expect(result.hits.every((h) => h.document.inStock)).toBe(true);
    const times: number[] = [];
    for (const q of ['iphnoe', '蓝牙耳机', 'headph', 'samsung galaxy', '']) {
      const t = performance.now();
      await engine.search(browse(q));
      times.push(performance.now() - t);
    }
    expect(Math.max(...times)).toBeLessThan(1_000);
  });
});
