import { describe, expect, it } from 'vitest';
import type { SearchDocument } from '../types';
import type { BulkClient } from './bulk';
import {
  aliasSwapActions,
  createIndexManager,
  indexNames,
  LOADING_SETTINGS,
  SERVING_SETTINGS,
  versionOf,
} from './index-manager';
import { buildIndexDefinition } from './settings';

const definition = buildIndexDefinition();
const notFound = () => Object.assign(new Error('alias missing'), { meta: { statusCode: 404 } });

/**
 * A fake cluster of indices and one alias, enough to follow what the manager asks for. Every call is
 * recorded as [method, params].
 */
function fakeCluster(options: { aliasOn?: string[]; failBulk?: boolean } = {}) {
  const calls: [string, Record<string, unknown>][] = [];
  const indices = new Set(options.aliasOn ?? []);
  let aliased = [...(options.aliasOn ?? [])];
  const bulk: BulkClient['bulk'] = async (params) => {
    calls.push(['bulk', params as Record<string, unknown>]);
    if (options.failBulk) throw Object.assign(new Error('mapping'), { meta: { statusCode: 400 } });
    const items = (params.operations ?? [])
      .filter((_, i) => i % 2 === 0)
      .map(() => ({ index: { _index: 'x', status: 201 } }));
    return { errors: false, items, took: 1 };
  };
  const indicesApi = {
    async getAlias(params: Record<string, unknown>) {
      calls.push(['getAlias', params]);
      if (!aliased.length) throw notFound();
      return Object.fromEntries(aliased.map((i) => [i, { aliases: {} }]));
    },
    async create(params: { index: string; aliases?: Record<string, unknown> }) {
      calls.push(['create', params]);
      indices.add(params.index);
      if (params.aliases) aliased.push(params.index);
      return { acknowledged: true, shards_acknowledged: true, index: params.index };
    },
    async putSettings(params: Record<string, unknown>) {
      calls.push(['putSettings', params]);
      return { acknowledged: true };
    },
    async refresh(params: Record<string, unknown>) {
      calls.push(['refresh', params]);
      return {};
    },
    async updateAliases(params: { actions: { add?: { index: string }; remove?: { index: string } }[] }) {
      calls.push(['updateAliases', params]);
      for (const action of params.actions) {
        if (action.remove) aliased = aliased.filter((i) => i !== action.remove!.index);
        if (action.add) aliased.push(action.add.index);
      }
      return { acknowledged: true };
    },
    async delete(params: { index: string | string[] }) {
      calls.push(['delete', params]);
      for (const i of [params.index].flat()) indices.delete(i);
      return { acknowledged: true };
    },
  };
  const client = { bulk, indices: indicesApi } as unknown as Parameters<
    typeof createIndexManager
  >[0]['client'];
  return { client, calls, indices, aliased: () => aliased };
}

const clock = (start: number) => {
  let t = start;
  return () => t++;
};
const docs = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        id: `p${i}`,
        version: 1,
        name: `p${i}`,
        nameZh: '',
        brand: '',
        categoryNames: [],
        attributes: [],
      }) as unknown as SearchDocument,
  );

describe('index names', () => {
  it('puts versioned indices behind the alias', () => {
    const names = indexNames('products');
    expect(names.alias).toBe('products');
    expect(names.versioned(1700000000000)).toBe('products_v1700000000000');
    expect(names.pattern).toBe('products_v*');
    expect(() => indexNames('Products')).toThrow(/lowercase/);
  });

  it('reads the version of a name, and only of this alias (rollback picks the newest older one)', () => {
    expect(versionOf('products', 'products_v1700000000000')).toBe(1700000000000);
    expect(Number.isNaN(versionOf('products', 'products_v17x'))).toBe(true);
    expect(Number.isNaN(versionOf('test_1', 'test_10_v5'))).toBe(true);
  });

  it('swaps the alias in one _aliases request: remove old and add new together', () => {
    expect(aliasSwapActions('products', ['products_v1'], 'products_v2')).toEqual([
      { remove: { index: 'products_v1', alias: 'products' } },
      { add: { index: 'products_v2', alias: 'products' } },
    ]);
  });
});

describe('ensureIndex', () => {
  it('creates the first version with its settings, mappings and the alias when none exists', async () => {
    const cluster = fakeCluster();
    const manager = createIndexManager({
      client: cluster.client,
      prefix: 'products',
      definition,
      now: clock(5),
    });
    await expect(manager.ensureIndex()).resolves.toBe('products_v5');
    const [, create] = cluster.calls.find(([m]) => m === 'create')!;
    expect(create).toMatchObject({
      index: 'products_v5',
      aliases: { products: {} },
      mappings: definition.mappings,
      settings: definition.settings,
    });
  });

  it('leaves an existing alias alone', async () => {
    const cluster = fakeCluster({ aliasOn: ['products_v1'] });
    const manager = createIndexManager({ client: cluster.client, prefix: 'products', definition });
    await expect(manager.ensureIndex()).resolves.toBe('products_v1');
    expect(cluster.calls.map(([m]) => m)).toEqual(['getAlias']);
  });
});

describe('reindex', () => {
  it('loads a new version without refreshes or replicas, restores them, then swaps the alias atomically and drops the old one', async () => {
    const cluster = fakeCluster({ aliasOn: ['products_v1'] });
    const manager = createIndexManager({
      client: cluster.client,
      prefix: 'products',
      definition,
      now: clock(9),
    });
    const result = await manager.reindex(docs(3));
    expect(result).toEqual({ index: 'products_v9', previous: ['products_v1'], applied: 3, skipped: 0 });
    expect(cluster.calls.map(([m]) => m)).toEqual([
      'create',
      'bulk',
      'putSettings',
      'refresh',
      'getAlias',
      'updateAliases',
      'delete',
    ]);
    const byMethod = Object.fromEntries(cluster.calls);
    expect(byMethod.create).toMatchObject({ index: 'products_v9', settings: LOADING_SETTINGS });
    expect(byMethod.create?.aliases).toBeUndefined();
    expect(byMethod.putSettings).toEqual({ index: 'products_v9', settings: SERVING_SETTINGS });
    expect(byMethod.updateAliases).toEqual({
      actions: aliasSwapActions('products', ['products_v1'], 'products_v9'),
    });
    expect(byMethod.delete).toMatchObject({ index: ['products_v1'] });
    expect(cluster.aliased()).toEqual(['products_v9']);
  });

  it('keeps the alias on the old index and deletes the half-built one when loading fails', async () => {
    const cluster = fakeCluster({ aliasOn: ['products_v1'], failBulk: true });
    const manager = createIndexManager({
      client: cluster.client,
      prefix: 'products',
      definition,
      now: clock(9),
    });
    await expect(manager.reindex(docs(2))).rejects.toThrow('mapping');
    expect(cluster.calls.map(([m]) => m)).not.toContain('updateAliases');
    expect(cluster.calls.at(-1)).toEqual(['delete', { index: 'products_v9', ignore_unavailable: true }]);
    expect(cluster.aliased()).toEqual(['products_v1']);
  });

  it('names versions strictly increasing even within one millisecond', async () => {
    const cluster = fakeCluster({ aliasOn: ['products_v1'] });
    const manager = createIndexManager({
      client: cluster.client,
      prefix: 'products',
      definition,
      now: () => 42,
    });
    const first = await manager.reindex([]);
    const second = await manager.reindex([]);
    expect([first.index, second.index]).toEqual(['products_v42', 'products_v43']);
  });
});
