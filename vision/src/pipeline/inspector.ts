import type { InspectResult, Logger, PhotoFindings, PhotoInspector, PhotoThresholds } from '@market/core';
import { loadPhotoModels, type ModelFindings, type PhotoModels } from '../models';
import { perceptualHash } from '../phash/phash';
import { measureQuality } from '../quality/metrics';
import { judgePhoto } from '../verdict/verdict';
import { decodeImage, probeImage } from './decode';
import { renderVariants, VARIANTS_VERSION } from './variants';

export interface PhotoInspectorOptions {
  thresholds: PhotoThresholds;
  /** Largest decoded image, in pixels. */
  maxPixels: number;
  /** Where `npm run setup:vision` put the ONNX models. */
  modelDir: string;
  /** Images the models analyse at once. */
  modelConcurrency?: number;
  log: Logger;
  /** Tests and benchmarks of the sharp stages alone pass `false`: findings are then null. */
  models?: boolean;
}

/** After the models failed to load, try again no sooner than this (the setup may have run meanwhile). */
const MODEL_RETRY_MS = 60_000;

function toFindings(found: ModelFindings): PhotoFindings {
  const round = (v: number) => Number(v.toFixed(4));
  return {
    text: {
      boxes: found.text.boxes.map((b) => ({
        x: Math.round(b.x),
        y: Math.round(b.y),
        width: Math.round(b.width),
        height: Math.round(b.height),
        text: b.text,
        confidence: round(b.confidence),
      })),
      coverage: round(found.text.coverage),
      contacts: found.text.contacts.map((c) => ({ kind: c.kind, text: c.text })),
    },
    nsfwScore: round(found.nsfw.score),
    category: {
      matches: found.category.matches,
      score: round(found.category.score),
      topLabels: found.category.topLabels.slice(0, 5).map((l) => ({ label: l.label, score: round(l.score) })),
    },
  };
}

/**
 * The `PhotoInspector` port on sharp and onnxruntime-node. Stages run one after another for one photo
 * (so each stage's time is its own); photos run side by side as the job worker's concurrency allows,
 * and the models bound their own concurrency. The models load on the first check, not at start-up, so a
 * web process that runs no jobs never pays for them.
 */
export function createPhotoInspector(opts: PhotoInspectorOptions): PhotoInspector {
  const { log } = opts;
  let models: Promise<PhotoModels> | null = null;
  let failedAt = 0;
  let failure: string | null = null;

  async function getModels(): Promise<PhotoModels> {
    if (!models || (failure && Date.now() - failedAt > MODEL_RETRY_MS)) {
      failure = null;
      models = loadPhotoModels({ modelDir: opts.modelDir, concurrency: opts.modelConcurrency });
      models.catch((err: unknown) => {
        failure = (err as Error).message;
        failedAt = Date.now();
        log.error({ err }, 'photo models failed to load; checks go to review until they do');
      });
    }
    return models;
  }

  return {
    variantsVersion: VARIANTS_VERSION,

    probe: (content) => probeImage(content, opts.maxPixels),

    async inspect(content, { categoryPath }): Promise<InspectResult> {
      const timings: Record<string, number> = {};
      const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
          return await run();
        } finally {
          timings[stage] = Number((performance.now() - started).toFixed(1));
        }
      };
      const decoded = await timed('decode', () => decodeImage(content, opts.maxPixels));
      if (!decoded.ok) return decoded;
      const image = decoded.image;
      const variants = await timed('variants', () => renderVariants(image));
      const metrics = await timed('metrics', () => measureQuality(image));
      const phash = await timed('hash', () => perceptualHash(image));
      // The models read the large JPEG: upright, metadata-free, and small enough to decode fast.
      const analysis = variants.find((v) => v.size === 'large' && v.format === 'jpeg')!;
      let findings: PhotoFindings | null = null;
      let modelsError: string | null = null;
      if (opts.models !== false) {
        try {
          const loaded = await getModels();
          findings = toFindings(await timed('models', () => loaded.analyze(analysis.data, { categoryPath })));
        } catch (err) {
          modelsError = (err as Error).message;
          if (!failure) log.error({ err }, 'photo models failed on an image');
        }
      } else {
        modelsError = 'models disabled';
      }
      return {
        ok: true,
        metrics,
        phash,
        findings,
        modelsError,
        analysisWidth: analysis.width,
        analysisHeight: analysis.height,
        variants,
        timings,
      };
    },

    judge: (input) => judgePhoto(input, opts.thresholds),

    async close() {
      const loading = models;
      models = null;
      if (loading) await (await loading.catch(() => null))?.close();
    },
  };
}

/** The inspector as configured (PHOTO_* variables): what the app, the workers and scripts use. */
export function photoInspectorFor(
  config: {
    photos: {
      thresholds: PhotoThresholds;
      limits: { maxPixels: number };
      modelDir: string;
      modelConcurrency: number;
    };
  },
  log: Logger,
): PhotoInspector {
  return createPhotoInspector({
    thresholds: config.photos.thresholds,
    maxPixels: config.photos.limits.maxPixels,
    modelDir: config.photos.modelDir,
    modelConcurrency: config.photos.modelConcurrency,
    log,
  });
}
