import type { estypes } from '@elastic/elasticsearch';
import type { Logger } from '@market/core/logger';
import { conceptsOf } from '../analysis/concepts';
import type { SearchDocument } from '../types';
import { CONCEPTS_FIELD } from './settings';

/** What bulk writing needs from the client; tests pass a fake. */
export interface BulkClient {
  bulk(params: estypes.BulkRequest<SearchDocument>): Promise<estypes.BulkResponse>;
}
type Operation = estypes.BulkOperationContainer | (SearchDocument & { [CONCEPTS_FIELD]?: string[] });

export interface BulkOptions {
  /** Documents per request. */
  chunkSize?: number;
  /** Requests in flight at once; the source is not read further until one completes (backpressure). */
  concurrency?: number;
  /** Retries of a request or of its retryable items (429, 5xx) before giving up. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
}

export interface BulkOutcome {
  /** Written (created, updated or deleted). */
  applied: number;
  /** Ignored on purpose: an index that was older than the stored version, a delete of a missing id. */
  skipped: number;
}

export interface BulkItemFailure {
  id: string;
  status: number;
  type: string;
  reason: string;
}

/** Items that failed for good (a mapping error, or still 429/5xx after every retry). */
export class BulkWriteError extends Error {
  readonly code = 'SEARCH_BULK_FAILED';
  constructor(readonly failures: BulkItemFailure[]) {
    const first = failures[0];
    super(
      `${failures.length} search documents failed to write${first ? ` (${first.id}: ${first.type} ${first.reason})` : ''}`,
    );
    this.name = 'BulkWriteError';
  }
}

/**
 * Index lines with external versioning: Elasticsearch keeps a document only if its `version` is higher
 * than the stored one, so a late or replayed write of an older product version cannot win, whatever the
 * order in which concurrent requests land. The losing write answers 409, which is expected. Each document
 * carries its lexicon concepts beside it (`conceptsOf`), for the query's concept clauses.
 */
export function buildIndexOperations(index: string, documents: readonly SearchDocument[]): Operation[] {
  return documents.flatMap((doc): Operation[] => [
    { index: { _index: index, _id: doc.id, version: doc.version, version_type: 'external' } },
    { ...doc, [CONCEPTS_FIELD]: conceptsOf(doc) },
  ]);
}

export function buildDeleteOperations(index: string, ids: readonly string[]): Operation[] {
  return ids.map((id) => ({ delete: { _index: index, _id: id } }));
}

const isRetryableStatus = (status: number) => status === 429 || status >= 500;

export function errorStatus(err: unknown): number | undefined {
  const e = err as { meta?: { statusCode?: number | null }; name?: string };
  // No HTTP answer at all (connection refused or reset, timeout): treat as a transient server failure.
  // Checked first: the client reports these with `meta.statusCode` 0.
  if (e?.name === 'ConnectionError' || e?.name === 'TimeoutError' || e?.name === 'NoLivingConnectionsError')
    return 503;
  const status = e?.meta?.statusCode;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/** Exponential backoff with jitter: base·2^attempt, capped, then a random point in its upper half. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one chunk of operations, retrying the whole request on 429/5xx/connection errors and then only
 * the items that failed with 429/5xx. Version conflicts (409) on index and not-found (404) on delete are
 * counted as skipped; other item errors are collected and thrown together.
 */
export async function writeChunk(
  client: BulkClient,
  operations: Operation[],
  options: BulkOptions = {},
): Promise<BulkOutcome> {
  const maxRetries = options.maxRetries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const outcome: BulkOutcome = { applied: 0, skipped: 0 };
  let pending = operations;
  const failures: BulkItemFailure[] = [];

  for (let attempt = 0; pending.length; attempt++) {
    let response: estypes.BulkResponse;
    try {
      response = await client.bulk({ operations: pending });
    } catch (err) {
      const status = errorStatus(err);
      if (status === undefined || !isRetryableStatus(status) || attempt >= maxRetries) throw err;
      options.log?.warn({ status, attempt }, 'search bulk request failed; retrying');
      await sleep(backoffDelay(attempt, baseDelayMs, maxDelayMs));
      continue;
    }

    const retry: Operation[] = [];
    let cursor = 0;
    for (const item of response.items) {
      const [action, result] = Object.entries(item)[0] as [
        estypes.BulkOperationType,
        estypes.BulkResponseItem,
      ];
      const lines = action === 'delete' ? 1 : 2;
      const itemOperations = pending.slice(cursor, cursor + lines);
      cursor += lines;
      const status = result.status;
      if (status >= 200 && status < 300) outcome.applied++;
      else if ((status === 409 && action !== 'delete') || (status === 404 && action === 'delete'))
        outcome.skipped++;
      else if (isRetryableStatus(status) && attempt < maxRetries) retry.push(...itemOperations);
      else
        failures.push({
          id: result._id ?? '',
          status,
          type: result.error?.type ?? 'unknown',
          reason: result.error?.reason ?? '',
        });
    }
    if (retry.length) {
      options.log?.warn({ items: retry.length, attempt }, 'search bulk items rejected; retrying');
      await sleep(backoffDelay(attempt, baseDelayMs, maxDelayMs));
    }
    pending = retry;
  }
  if (failures.length) throw new BulkWriteError(failures);
  return outcome;
}

async function* chunksOf<T>(source: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of source) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/**
 * Writes a stream of documents in chunks with at most `concurrency` requests in flight. The source is
 * pulled only when a slot is free, so a slow cluster slows the reader instead of filling memory. The
 * first chunk that fails for good stops the load (after the requests in flight settle).
 */
export async function bulkIndexStream(
  client: BulkClient,
  index: string,
  source: AsyncIterable<SearchDocument> | Iterable<SearchDocument>,
  options: BulkOptions & { onProgress?: (done: number) => void } = {},
): Promise<BulkOutcome> {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const total: BulkOutcome = { applied: 0, skipped: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let done = 0;

  for await (const chunk of chunksOf(source, options.chunkSize ?? 500)) {
    if (failure) break;
    const request: Promise<void> = writeChunk(client, buildIndexOperations(index, chunk), options)
      .then((outcome) => {
        total.applied += outcome.applied;
        total.skipped += outcome.skipped;
        done += chunk.length;
        options.onProgress?.(done);
      })
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  return total;
}
