import type { StoreHealth } from '@market/core';
import type { JobWorker } from '@market/core/jobs';
import type { SearchEngine } from '@market/search';

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
  [key: string]: unknown;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: { store: ReadinessCheck; search: ReadinessCheck; jobs: ReadinessCheck };
}

/** A search health check slower than this counts as failed (the embedded index is still loading). */
const SEARCH_CHECK_TIMEOUT_MS = 1000;
/** The worker loop goes round at least every second or two while it has a free slot. */
const WORKER_STALE_MS = 15_000;

/**
 * What `GET /readyz` reports: whether this node should get traffic. The document store is reachable;
 * the search index is loaded (the embedded engine has read its snapshot; Elasticsearch answers and the
 * index is not red); the job loop is alive (when this process runs jobs: it went round recently, or
 * every slot is busy with a job).
 */
export function createReadiness(deps: {
  store: StoreHealth;
  search: SearchEngine;
  worker: JobWorker | undefined;
  clock?: () => Date;
}): () => Promise<Readiness> {
  const clock = deps.clock ?? (() => new Date());

  async function searchCheck(): Promise<ReadinessCheck> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ ok: boolean; detail?: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, detail: `no answer within ${SEARCH_CHECK_TIMEOUT_MS} ms (loading?)` }),
        SEARCH_CHECK_TIMEOUT_MS,
      );
    });
    try {
      const health = await Promise.race([
        deps.search.health().catch((err: unknown) => ({ ok: false, detail: String(err) })),
        timeout,
      ]);
      return { ok: health.ok, detail: health.detail ?? (health.ok ? 'ok' : 'unhealthy') };
    } finally {
      clearTimeout(timer);
    }
  }

  function jobsCheck(): ReadinessCheck {
    if (!deps.worker)
      return { ok: true, detail: 'jobs run in separate worker processes (RUN_WORKERS=false)' };
    const s = deps.worker.status();
    const sinceTickMs = clock().getTime() - s.lastTickAt.getTime();
    const alive = s.state === 'running' && (sinceTickMs < WORKER_STALE_MS || s.running >= s.concurrency);
    return {
      ok: alive,
      detail: alive
        ? `worker loop alive, ${s.running}/${s.concurrency} running`
        : `worker loop ${s.state}, last went round ${sinceTickMs} ms ago`,
      running: s.running,
      pollFailures: s.pollFailures,
    };
  }

  return async () => {
    const store = deps.store.status();
    const checks = {
      store: {
        ok: store.up,
        detail: store.up ? 'reachable' : (store.reason ?? 'unreachable'),
        since: store.since.toISOString(),
        ...(store.embedded && { embedded: store.embedded }),
      },
      search: await searchCheck(),
      jobs: jobsCheck(),
    };
    const ready = checks.store.ok && checks.search.ok && checks.jobs.ok;
    return { status: ready ? 'ready' : 'not_ready', checks };
  };
}
