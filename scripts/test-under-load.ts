/**
 * `npm run test:under-load [-- <vitest args>]`: the suite (`vitest run`, what `npm test` runs after lint
 * and type checks) while two processes burn a core each, as on a machine where other work takes both
 * cores. A test that passes only when the machine is quiet fails here. The burners stop however the run
 * ends (exit, failure, Ctrl-C); the exit code is the suite's. Arguments go to vitest, e.g. a file to
 * check on its own: `npm run test:under-load -- tests/logistics.test.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BURNERS = 2;

/** Spins a core; every ~0.1 s it checks that this script still runs (a burner never outlives a kill -9). */
const BURN = `const parent = process.ppid; for (let i = 1; ; i++) if (i % 5e7 === 0 && process.ppid !== parent) process.exit(0);`;
const burners: ChildProcess[] = Array.from({ length: BURNERS }, () =>
  spawn(process.execPath, ['-e', BURN], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const burner of burners)
    if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
};
process.once('exit', stopBurners);

const started = performance.now();
console.log(`test:under-load: ${BURNERS} CPU burners running (pids ${burners.map((b) => b.pid).join(', ')})`);
const suite = spawn(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    suite.kill(signal);
    stopBurners();
  });
}
suite.once('exit', (code, signal) => {
  stopBurners();
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(`test:under-load: the suite ${code === 0 ? 'passed' : 'failed'} under load in ${minutes} min`);
  process.exit(code ?? (signal ? 1 : 0));
});
