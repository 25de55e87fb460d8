/**
 * `npm run bench:admin` — the back office's benchmarks: whichever parts exist under `scripts/bench/`
 * (`admin-users.ts`: people search; `admin-notifications.ts`: notification delivery), one after the other.
 * Figures go to docs/BENCHMARKS.md by hand, with the load average printed here.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const parts = [
  ['admin-users.ts', 'benchAdminUsers'],
  ['admin-notifications.ts', 'benchNotifications'],
] as const;

console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${os.cpus().length} cores)`,
);
for (const [file, exported] of parts) {
  const full = path.join(import.meta.dirname, 'bench', file);
  if (!existsSync(full)) continue;
  console.log(`\n== ${file}`);
  const mod = (await import(pathToFileURL(full).href)) as Record<string, () => Promise<unknown>>;
  const run = mod[exported];
  if (typeof run !== 'function') throw new Error(`${file} does not export ${exported}()`);
  await run();
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
