import type { Database, DomainEventName, Logger } from '@market/core';
import type { AttemptOutcome, JobQueue } from '@market/core/jobs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds buckets for request-sized work: 1 ms … 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** How long a job backlog read is reused: scrapes come every 15–60 s, a read scans the in-flight jobs. */
const BACKLOG_CACHE_MS = 10_000;

/**
 * This process's Prometheus metrics (`GET /metrics`, README "Operations"). One registry per marketplace
 * instance rather than prom-client's global one, so tests that start several apps in one process each
 * report their own. Labels are bounded: HTTP routes by their pattern (`/api/products/:id`), never the
 * raw path; events and job types by name; namespaces by name.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: 'bazaar_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const eventLag = new Histogram({
    name: 'bazaar_event_bus_lag_seconds',
    help: 'Time from a domain event being published until its handlers start in this process',
    labelNames: ['event'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers,
  });
  const searchDuration = new Histogram({
    name: 'bazaar_search_duration_seconds',
    help: 'Search engine calls (search, suggest) as the API makes them',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const recsDuration = new Histogram({
    name: 'bazaar_recommendation_duration_seconds',
    help: 'Recommendation calls (hot, feed, similar, bought together, profile)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const jobAttempts = new Counter({
    name: 'bazaar_job_attempts_total',
    help: 'Job attempts run by this process, by type and outcome (completed, retried, dead, given_back)',
    labelNames: ['type', 'outcome'] as const,
    registers,
  });
  const jobFailures = new Counter({
    name: 'bazaar_job_failures_total',
    help: 'Job attempts that failed (retried or dead-lettered), by type',
    labelNames: ['type'] as const,
    registers,
  });

  return {
    registry,
    httpDuration,
    searchDuration,
    recsDuration,

    observeEventLag(name: DomainEventName, lagMs: number): void {
      eventLag.observe({ event: name }, lagMs / 1000);
    },

    observeJobAttempt(e: { type: string; outcome: AttemptOutcome }): void {
      jobAttempts.inc({ type: e.type, outcome: e.outcome });
      if (e.outcome === 'retried' || e.outcome === 'dead') jobFailures.inc({ type: e.type });
    },

    /** `bazaar_store_up` and, for the embedded store, its restarts. */
    collectStore(database: Pick<Database, 'health' | 'embedded'>): void {
      new Gauge({
        name: 'bazaar_store_up',
        help: '1 when the document store is reachable, 0 while it is not (the API answers 503)',
        registers,
        collect() {
          this.set(database.health.isUp() ? 1 : 0);
        },
      });
      if (!database.embedded) return;
      const embedded = database.embedded;
      let reported = 0;
      new Counter({
        name: 'bazaar_store_restarts_total',
        help: 'Restarts of the embedded FerretDB after it exited unexpectedly',
        registers,
        collect() {
          const { restarts } = embedded.status();
          if (restarts > reported) this.inc(restarts - reported);
          reported = restarts;
        },
      });
    },

    /** Queue depth and the oldest due job's age, read at scrape time and cached briefly. */
    collectJobs(queue: Pick<JobQueue, 'backlog'>, log: Logger): void {
      let cached: { at: number; value: Awaited<ReturnType<JobQueue['backlog']>> } | null = null;
      let reading: Promise<Awaited<ReturnType<JobQueue['backlog']>> | null> | null = null;
      const backlog = async () => {
        if (cached && Date.now() - cached.at < BACKLOG_CACHE_MS) return cached.value;
        // One read at a time, whichever gauge asks first; a failed read (store down) reports nothing.
        reading ??= queue
          .backlog()
          .then((value) => {
            cached = { at: Date.now(), value };
            return value;
          })
          .catch((err: unknown) => {
            log.debug({ err }, 'job backlog not readable for metrics');
            return null;
          })
          .finally(() => (reading = null));
        return reading;
      };
      new Gauge({
        name: 'bazaar_job_queue_depth',
        help: 'Unfinished jobs by type and state (due, scheduled for later, running)',
        labelNames: ['type', 'state'] as const,
        registers,
        async collect() {
          const value = await backlog();
          this.reset();
          for (const t of value?.types ?? []) {
            this.set({ type: t.type, state: 'due' }, t.due);
            this.set({ type: t.type, state: 'scheduled' }, t.scheduled);
            this.set({ type: t.type, state: 'running' }, t.running);
          }
        },
      });
      new Gauge({
        name: 'bazaar_job_oldest_due_age_seconds',
        help: 'How long the longest-waiting due job has been due (0 when none is)',
        registers,
        async collect() {
          const value = await backlog();
          if (value) this.set(value.oldestDueAgeMs / 1000);
        },
      });
    },

    /** Socket.IO connections per namespace on this node. */
    collectSockets(namespaces: { [name: string]: { sockets: ReadonlyMap<string, unknown> } }): void {
      new Gauge({
        name: 'bazaar_socketio_connections',
        help: 'Socket.IO connections on this node, per namespace',
        labelNames: ['namespace'] as const,
        registers,
        collect() {
          for (const [name, ns] of Object.entries(namespaces)) this.set({ namespace: name }, ns.sockets.size);
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Times `run` into `histogram` with its operation name and whether it threw. */
export async function timed<T>(
  histogram: Histogram<'operation' | 'outcome'>,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  const end = histogram.startTimer({ operation });
  try {
    const result = await run();
    end({ outcome: 'ok' });
    return result;
  } catch (err) {
    end({ outcome: 'error' });
    throw err;
  }
}
