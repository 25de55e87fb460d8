import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `npm run bench:admin`: the back-office benchmarks that exist on this branch, one after the other —
 * `scripts/bench/admin-users.ts` (the admin console's part) and `scripts/bench/admin-notifications.ts`
 * (notification fan-out). Figures go to docs/BENCHMARKS.md by hand, with the load average.
 */
const PARTS = ['admin-users', 'admin-notifications'];
for (const part of PARTS) {
  const file = path.resolve(import.meta.dirname, 'bench', `${part}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n== ${part} ==`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const run = Object.values(mod).find((v) => typeof v === 'function') as (() => Promise<unknown>) | undefined;
  if (run) await run();
}
