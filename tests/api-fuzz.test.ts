import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { scaled } from './support/time';

/**
 * schemathesis (pinned in tests/fuzz/requirements.txt, installed by `npm test`'s pretest into
 * .tools/fuzz-venv) reads the app's OpenAPI document and throws generated requests at every operation,
 * as a signed-in shopper, for a bounded time. Its checks (tests/fuzz/schemathesis.toml) hold the API to
 * its document both ways: no 5xx, responses as documented, every request the document allows accepted
 * (2xx, or a 401/403/404/409 that depends on state) and every request it forbids refused — which is
 * what keeps the document's limits, patterns, required headers and cross-field rules true.
 */
const root = path.resolve(import.meta.dirname, '..');
const fuzzer = path.join(root, '.tools', 'fuzz-venv', 'bin', 'schemathesis');
const configFile = path.join(root, 'tests', 'fuzz', 'schemathesis.toml');
/** Fuzzing budget on a quiet machine; the run stops when it is spent even if cases remain. */
const FUZZ_SECONDS = 120;

interface Outcome {
  code: number | null;
  output: string;
}

function runFuzzer(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // From the repository root: the config names its hooks file by a path relative to it.
    const child = spawn(fuzzer, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('API fuzzing', () => {
  let app: TestApp;
  let reportDir: string;

  beforeAll(async () => {
    if (!existsSync(fuzzer))
      throw new Error(`${fuzzer} is missing: npm test's pretest (scripts/prepare-tests.ts) installs it`);
    app = await startTestApp({
      products: 20,
      // One client at one address sending thousands of requests: the per-email, per-phone and login budgets
      // (the test apps' per-address ones are already off) would answer 429 and leave the logic behind untested.
      env: {
        RATE_LIMIT_PASSWORD_RESET_PER_EMAIL: '0',
        RATE_LIMIT_SMS_CODE_PER_PHONE: '0',
        LOGIN_MAX_ATTEMPTS: '1000000',
      },
    });
    reportDir = mkdtempSync(path.join(os.tmpdir(), 'api-fuzz-'));
  });
  afterAll(async () => {
    await app?.close();
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it(
    'finds no server error, and the API takes exactly what its OpenAPI document allows',
    async () => {
      // zod-to-openapi writes a named schema met first as `.nullable()` as a nullable component, which a
      // request body referring to it then inherits (`orNull` in web/src/schemas.ts avoids it).
      const document = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as {
        components: { schemas: Record<string, { type?: unknown }> };
      };
      const nullable = Object.entries(document.components.schemas).filter(
        ([, schema]) => Array.isArray(schema.type) && schema.type.includes('null'),
      );
      expect(nullable.map(([name]) => name)).toEqual([]);

      const shopper = await registerUser(app.url);
      // The session's two cookies, which the config hands to schemathesis as the document's security schemes.
      const cookies = new Map(
        shopper
          .cookieHeader()
          .split('; ')
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      );
      const cookie = (name: string) => {
        const value = cookies.get(name);
        if (!value) throw new Error(`the shopper's session has no ${name} cookie`);
        return value;
      };
      const junit = path.join(reportDir, 'junit.xml');
      const { code, output } = await runFuzzer(
        [
          '--config-file',
          configFile,
          'run',
          `${app.url}/api/openapi.json`,
          '--max-time',
          String(scaled(FUZZ_SECONDS)),
          '--report',
          'junit',
          '--report-junit-path',
          junit,
        ],
        {
          FUZZ_SESSION: cookie('sid'),
          FUZZ_SESSION_SIGNATURE: cookie('sid.sig'),
          FUZZ_CSRF_TOKEN: shopper.csrfToken,
        },
      );
      // The figures of the run (operations tested, cases, time) in the suite's log, whatever the outcome.
      const phases = [
        ...output.matchAll(/^\s*\S+\s+(Examples|Coverage|Fuzzing|Stateful) \(in ([\d.]+s)\)$/gm),
      ];
      console.info(
        [
          `operations ${output.match(/^\s+Tested: (\d+)$/m)?.[1]}`,
          phases.map(([, phase, took]) => `${phase} ${took}`).join(', '),
          output.match(/^\s+(\d+ generated.*)$/m)?.[1],
          output.match(/^=+ (.* in [\d.]+s) =+$/m)?.[1],
        ].join(' · '),
      );
      // The summary names each failing operation with a curl line that reproduces it.
      expect(code, output.slice(-20_000)).toBe(0);
      // A run that reached nothing would also exit 0: it must have tested the operations.
      const report = readFileSync(junit, 'utf8');
      const tested = report.match(/<testcase /g)?.length ?? 0;
      expect(tested).toBeGreaterThan(80);
      expect(report).not.toMatch(/<failure|<error/);
    },
    scaled(FUZZ_SECONDS + 120) * 1000,
  );
});
