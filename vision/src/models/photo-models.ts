import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findContacts } from '../text/contacts';
import { paddleCharset, type CtcCharset } from '../text/ctc';
import {
  DEFAULT_DETECTOR_OPTIONS,
  detectText,
  textCoverage,
  type DetectedBox,
  type DetectedText,
} from '../text/detector';
import { recognizeText } from '../text/recognizer';
import { createCategoryMatcher, matchCategory, type CategoryMatcher } from './category-mapping';
import { classifyImage, topK } from './classifier';
import { createLimiter, type Limiter } from './limiter';
import { MODEL_ASSETS, assetPath } from './manifest';
import { ModelsMissingError } from './models-missing-error';
import { scoreNsfw } from './nsfw';
import { decodeRgb, type RgbImage } from './rgb-image';
import { SessionRegistry } from './sessions';
import type {
  AnalyzeOptions,
  ContactFinding,
  LoadPhotoModelsOptions,
  ModelFindings,
  PhotoModels,
  TextBox,
} from './types';
import { checkAsset } from './verify-assets';

/**
 * A detected line whose text is read with less confidence than this is not counted as text (PaddleOCR's
 * drop_score): the detector alone fires on flat, high-contrast shapes such as a phone's screen edge, and a
 * line nobody can read is neither a banner nor a contact.
 */
export const MIN_TEXT_CONFIDENCE = 0.5;
const TOP_LABELS = 5;

export interface PhotoModelRunnerOptions extends LoadPhotoModelsOptions {
  /** Threads per inference; default: the cores divided among the images in flight, at least 1. */
  intraOpNumThreads?: number;
}

/**
 * The models one by one, for the pipeline (through analyze) and for the benchmark (stage by stage). Holds
 * the shared sessions; everything else is per call.
 */
export class PhotoModelRunner {
  constructor(
    private readonly modelDir: string,
    private readonly sessions: SessionRegistry,
    private readonly charset: CtcCharset,
    readonly labels: readonly string[],
    private readonly categories: CategoryMatcher,
  ) {}

  private session(asset: keyof typeof MODEL_ASSETS) {
    return this.sessions.get(assetPath(this.modelDir, MODEL_ASSETS[asset]));
  }

  decode(image: Buffer): Promise<RgbImage> {
    return decodeRgb(image);
  }

  async detectText(image: RgbImage): Promise<DetectedText> {
    return detectText(await this.session('textDetector'), image, DEFAULT_DETECTOR_OPTIONS);
  }

  async recognizeText(image: RgbImage, boxes: readonly DetectedBox[]): Promise<TextBox[]> {
    const read = await recognizeText(await this.session('textRecognizer'), image, boxes, this.charset);
    return boxes.map((box, i) => ({
      x: Math.round(box.x),
      y: Math.round(box.y),
      width: Math.round(box.width),
      height: Math.round(box.height),
      score: box.score,
      text: read[i]?.text ?? '',
      confidence: read[i]?.confidence ?? 0,
    }));
  }

  async scoreNsfw(image: RgbImage): Promise<number> {
    return scoreNsfw(await this.session('nsfw'), image);
  }

  async classify(
    image: RgbImage,
    categoryPath: readonly string[] | undefined,
  ): Promise<ModelFindings['category']> {
    const probabilities = await classifyImage(await this.session('classifier'), image);
    const top = topK(probabilities, this.labels, TOP_LABELS);
    const classes = categoryPath?.length ? this.categories.classesFor(categoryPath) : null;
    const verdict = matchCategory(
      probabilities,
      classes,
      top.map((t) => t.index),
    );
    return { ...verdict, topLabels: top.map(({ label, score }) => ({ label, score })) };
  }

  close(): Promise<void> {
    return this.sessions.close();
  }

  /** Detection, recognition, then only the legible lines: their boxes, coverage and contact details. */
  async readText(image: RgbImage): Promise<ModelFindings['text']> {
    const detected = await this.detectText(image);
    const read = await this.recognizeText(image, detected.boxes);
    const legible = read.flatMap((box, i) =>
      box.text && box.confidence >= MIN_TEXT_CONFIDENCE ? [{ box, line: detected.boxes[i]! }] : [],
    );
    const boxes = legible.map((l) => l.box);
    return {
      boxes,
      coverage: textCoverage(
        legible.map((l) => l.line),
        image.width,
        image.height,
      ),
      contacts: contactsIn(boxes),
    };
  }

  async analyzeDecoded(image: RgbImage, opts: AnalyzeOptions): Promise<ModelFindings> {
    const text = await this.readText(image);
    const nsfw = await this.scoreNsfw(image);
    const category = await this.classify(image, opts.categoryPath);
    return { text, nsfw: { score: nsfw }, category };
  }
}

/**
 * Each line on its own, then all lines joined by newlines, so a keyword and its id on two lines
 * ("微信" above "shop_88") are still found; findings are de-duplicated by kind and text.
 */
export function contactsIn(boxes: readonly TextBox[]): ContactFinding[] {
  const lines = boxes.filter((b) => b.text && b.confidence >= MIN_TEXT_CONFIDENCE).map((b) => b.text);
  const seen = new Set<string>();
  const out: ContactFinding[] = [];
  for (const text of [...lines, lines.join('\n')]) {
    for (const finding of findContacts(text)) {
      const key = `${finding.kind}:${finding.text}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(finding);
      }
    }
  }
  return out;
}

/** Checks every model file against its pinned checksum, then reads the label and character lists. */
export async function createPhotoModelRunner(opts: PhotoModelRunnerOptions): Promise<PhotoModelRunner> {
  const modelDir = path.resolve(opts.modelDir);
  const states = await Promise.all(
    Object.values(MODEL_ASSETS).map(
      async (asset) => [asset.file, await checkAsset(modelDir, asset)] as const,
    ),
  );
  const missing = states.filter(([, state]) => state !== 'ok').map(([file, state]) => `${file} (${state})`);
  if (missing.length) throw new ModelsMissingError(missing, modelDir);
  const labels = JSON.parse(
    await readFile(assetPath(modelDir, MODEL_ASSETS.imagenetLabels), 'utf8'),
  ) as string[];
  const charset = paddleCharset(
    await readFile(assetPath(modelDir, MODEL_ASSETS.characterDictionary), 'utf8'),
  );
  const concurrency = opts.concurrency ?? 1;
  const cores = os.availableParallelism();
  const intraOpNumThreads = opts.intraOpNumThreads ?? Math.max(1, Math.floor(cores / concurrency));
  return new PhotoModelRunner(
    modelDir,
    new SessionRegistry({ intraOpNumThreads }),
    charset,
    labels,
    createCategoryMatcher(labels),
  );
}

export async function loadPhotoModels(opts: PhotoModelRunnerOptions): Promise<PhotoModels> {
  const runner = await createPhotoModelRunner(opts);
  const limit: Limiter = createLimiter(opts.concurrency ?? 1);
  let closed = false;
  return {
    analyze(image, analyzeOpts) {
      if (closed) return Promise.reject(new Error('photo models are closed'));
      return limit(async () => runner.analyzeDecoded(await runner.decode(image), analyzeOpts ?? {}));
    },
    async close() {
      closed = true;
      await limit.idle();
      await runner.close();
    },
  };
}
