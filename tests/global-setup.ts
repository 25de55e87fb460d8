import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureFerretDbBinary, startFerretDb } from '@market/core/db';
import { createLogger } from '@market/core/logger';
import { unsupportedNodeReason } from '@market/core/runtime';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One FerretDB for the whole run, through the same launcher the app uses, on a temporary data folder.
 * Every test file opens its own database on it. MONGODB_URI points the suite at a real MongoDB instead.
 */
export default async function setup(project: TestProject) {
  const unsupported = unsupportedNodeReason();
  if (unsupported) throw new Error(unsupported);
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', 'test-setup');
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-test-'));
  const binary = await ensureFerretDbBinary(path.resolve('.tools'), log);
  const ferret = await startFerretDb({ binary, dataDir, log });
  project.provide('mongoUri', ferret.uri);
  return async () => {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
