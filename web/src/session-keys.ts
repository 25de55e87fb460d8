import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@market/core';

/**
 * Cookie signing keys: SESSION_SECRET when set (required in production); otherwise a random secret kept
 * in DATA_DIR so embedded-mode sessions survive a restart.
 */
export function sessionKeys(config: Config): string[] {
  if (config.session.secret) return [config.session.secret];
  const file = path.join(config.dataDir, 'session-secret');
  try {
    return [readFileSync(file, 'utf8').trim()];
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return [secret];
  }
}
