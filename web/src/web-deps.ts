import type { Config, CoreServices, Logger } from '@market/core';
import type { SearchEngine } from '@market/search';
import type { LoginLimiter } from './http/rate-limit';

/** What the HTTP layer is built from; assembled in app.ts. */
export interface WebDeps {
  core: CoreServices;
  config: Config;
  log: Logger;
  loginLimiter: LoginLimiter;
  search: SearchEngine;
}
