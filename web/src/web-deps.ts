import type { Config, CoreServices, Logger, Mailbox, StoreHealth } from '@market/core';
import type { RecsService } from '@market/recommender/service';
import type { SearchEngine } from '@market/search';
import type { LoginLimiter } from './http/rate-limit';
import type { RequestLimits } from './http/request-limits';
import type { Metrics } from './ops/metrics';
import type { Readiness } from './ops/readiness';
import type { EventLimiter } from './recs/event-limiter';

/** What the HTTP layer is built from; assembled in app.ts. */
export interface WebDeps {
  core: CoreServices;
  config: Config;
  log: Logger;
  loginLimiter: LoginLimiter;
  /** Budgets for registrations, checkouts, coupon tries and searches (per address and per account). */
  requestLimits: RequestLimits;
  search: SearchEngine;
  /** The recommender of this process (events in, recommendations out). */
  recs: RecsService;
  recsLimiter: EventLimiter;
  /** The dev mailbox (embedded SMTP); null with SMTP_URL. `/dev/mailbox` shows it outside production. */
  mailbox: Mailbox | null;
  /** Health, readiness and metrics (web/src/http/ops-routes.ts). */
  ops: { store: StoreHealth; metrics: Metrics; readiness: () => Promise<Readiness> };
}
