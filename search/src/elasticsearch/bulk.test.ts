import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { conceptsOf } from '../analysis/concepts';
import type { SearchDocument } from '../types';
import {
  backoffDelay,
  buildDeleteOperations,
  buildIndexOperations,
  bulkIndexStream,
  BulkWriteError,
  writeChunk,
  type BulkClient,
} from './bulk';

const doc = (id: string, version = 1) =>
  ({
    id,
    version,
    name: `Apple ${id} Phone`,
    nameZh: '',
    brand: 'Apple',
    categoryNames: [],
    attributes: ['Black'],
  }) as unknown as SearchDocument;
const noSleep = { sleep: async () => {} };

type Item = Partial<Record<estypes.BulkOperationType, estypes.BulkResponseItem>>;
const ok = (id: string): Item => ({ index: { _id: id, _index: 'i', status: 201 } });
const failed = (id: string, status: number, type: string): Item => ({
  index: { _id: id, _index: 'i', status, error: { type, reason: `${type} on ${id}` } },
});

/** A fake `bulk` that answers each call with the next scripted response (or throws it). */
function scriptedClient(responses: (Item[] | Error)[]) {
  const calls: estypes.BulkRequest<SearchDocument>['operations'][] = [];
  const client: BulkClient = {
    async bulk(params) {
      calls.push(params.operations);
      const next = responses.shift();
      if (!next) throw new Error('unexpected bulk call');
      if (next instanceof Error) throw next;
      return { errors: next.some((i) => (i.index?.status ?? 200) >= 300), items: next, took: 1 };
    },
  };
  return { client, calls };
}

describe('bulk operations', () => {
  it('indexes with external versioning so an older version never overwrites a newer one', () => {
    expect(buildIndexOperations('products_v1', [doc('p1', 7)])).toEqual([
      { index: { _index: 'products_v1', _id: 'p1', version: 7, version_type: 'external' } },
      { ...doc('p1', 7), concepts: conceptsOf(doc('p1', 7)) },
    ]);
    // The lexicon concepts the product is, for the query's concept clauses.
    expect(conceptsOf(doc('p1'))).toEqual(
      expect.arrayContaining(['^brand:apple', '^kind:phone', '^colour:black']),
    );
  });

  it('deletes by id', () => {
    expect(buildDeleteOperations('products', ['a', 'b'])).toEqual([
      { delete: { _index: 'products', _id: 'a' } },
      { delete: { _index: 'products', _id: 'b' } },
    ]);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('writeChunk', () => {
  it('treats a version conflict (an older version arriving late) as skipped, not failed', async () => {
    const { client } = scriptedClient([[ok('a'), failed('b', 409, 'version_conflict_engine_exception')]]);
    const outcome = await writeChunk(client, buildIndexOperations('i', [doc('a'), doc('b')]), noSleep);
    expect(outcome).toEqual({ applied: 1, skipped: 1 });
  });

  it('retries only the items rejected with 429/5xx', async () => {
    const { client, calls } = scriptedClient([
      [ok('a'), failed('b', 429, 'es_rejected_execution_exception')],
      [ok('b')],
    ]);
    const outcome = await writeChunk(client, buildIndexOperations('i', [doc('a'), doc('b')]), noSleep);
    expect(outcome).toEqual({ applied: 2, skipped: 0 });
    expect(calls[1]).toEqual(buildIndexOperations('i', [doc('b')]));
  });

  it('retries the whole request on a 503 or a lost connection', async () => {
    const unavailable = Object.assign(new Error('unavailable'), { meta: { statusCode: 503 } });
    // As the client reports a connection the node dropped (seen when OpenSearch was killed mid-load).
    const lost = Object.assign(new Error('other side closed'), {
      name: 'ConnectionError',
      meta: { statusCode: 0 },
    });
    const { client, calls } = scriptedClient([unavailable, lost, [ok('a')]]);
    await expect(writeChunk(client, buildIndexOperations('i', [doc('a')]), noSleep)).resolves.toEqual({
      applied: 1,
      skipped: 0,
    });
    expect(calls).toHaveLength(3);
  });

  it('does not retry a bad request', async () => {
    const bad = Object.assign(new Error('bad'), { meta: { statusCode: 400 } });
    const { client, calls } = scriptedClient([bad]);
    await expect(writeChunk(client, buildIndexOperations('i', [doc('a')]), noSleep)).rejects.toBe(bad);
    expect(calls).toHaveLength(1);
  });

  it('reports items that fail for good (mapping errors, retries exhausted)', async () => {
    const { client } = scriptedClient([
      [failed('a', 400, 'document_parsing_exception'), failed('b', 429, 'es_rejected_execution_exception')],
      [failed('b', 429, 'es_rejected_execution_exception')],
    ]);
    const error = await writeChunk(client, buildIndexOperations('i', [doc('a'), doc('b')]), {
      ...noSleep,
      maxRetries: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkWriteError);
    expect((error as BulkWriteError).failures.map((f) => [f.id, f.status])).toEqual([
      ['a', 400],
      ['b', 429],
    ]);
  });
});

describe('bulkIndexStream', () => {
  it('loads in chunks with bounded concurrency, reading the source only when a slot is free', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let read = 0;
    const released: (() => void)[] = [];
    const client: BulkClient = {
      async bulk(params) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => released.push(resolve));
        inFlight--;
        const items = (params.operations ?? []).filter((_, i) => i % 2 === 0).map((_, i) => ok(String(i)));
        return { errors: false, items, took: 1 };
      },
    };
    async function* source() {
      for (let i = 0; i < 10; i++) {
        read++;
        yield doc(`p${i}`);
      }
    }
    const progress: number[] = [];
    const loading = bulkIndexStream(client, 'i', source(), {
      chunkSize: 2,
      concurrency: 2,
      onProgress: (n) => progress.push(n),
    });
    await new Promise((r) => setTimeout(r, 10));
    // Two requests in flight (4 docs) and the fifth document read while waiting for a slot: no more.
    expect(inFlight).toBe(2);
    expect(read).toBeLessThanOrEqual(5);
    while (progress.length < 5) {
      released.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await expect(loading).resolves.toEqual({ applied: 10, skipped: 0 });
    expect(maxInFlight).toBe(2);
    expect(progress.at(-1)).toBe(10);
  });
});
