/**
 * `npm run search:opensearch` — a real Lucene engine for the Elasticsearch adapter: builds the OpenSearch
 * 2.19 test engine (cached under .tools/opensearch), starts one node and the Elasticsearch-compatible shim
 * in front of it, waits until it is healthy, then
 *
 *   npm run search:opensearch                       keeps it running in the foreground (Ctrl-C stops it)
 *   npm run search:opensearch -- --port 9200        … with the shim on a chosen port
 *   npm run search:opensearch -- <command …>        runs the command with ELASTICSEARCH_URL set, stops
 *                                                   everything after it and exits with its exit code
 *
 * e.g. `npm run search:opensearch -- npx vitest run search/src/elasticsearch`. OPENSEARCH_HEAP sets the
 * JVM heap (default 1g). See search/README.md.
 */
import { spawn } from 'node:child_process';
import { startOpenSearch } from '../tests/support/opensearch';

function parseArgs(argv: string[]) {
  let port: number | undefined;
  let heap: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--port') port = Number(argv[++i]);
    else if (arg === '--heap') heap = argv[++i];
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else break;
  }
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new Error('--port needs a port number');
  return { port, heap, command: argv.slice(i) };
}

const { port, heap, command } = parseArgs(process.argv.slice(2));
const say = (message: string) => console.error(`[opensearch] ${message}`);
const started = performance.now();
const engine = await startOpenSearch({ heap, shimPort: port, say: command.length ? undefined : say });
say(
  `ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ELASTICSEARCH_URL=${engine.url} ` +
    `(OpenSearch itself at ${engine.node.url}, pid ${engine.node.pid})`,
);

let closing: Promise<void> | null = null;
const shutdown = () => (closing ??= engine.close());

if (!command.length) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      say('stopping…');
      void shutdown().then(() => process.exit(0));
    });
  void engine.node.exited.then(async (code) => {
    if (closing) return;
    say(`OpenSearch exited unexpectedly (${code})`);
    await shutdown();
    process.exit(1);
  });
} else {
  const child = spawn(command[0]!, command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ELASTICSEARCH_URL: engine.url },
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  const code = await new Promise<number>((resolve) => {
    child.once('error', (err) => {
      console.error(`[opensearch] cannot run ${command[0]}: ${err.message}`);
      resolve(127);
    });
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  await shutdown();
  process.exit(code);
}
