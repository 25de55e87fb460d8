/**
 * What the photo models find in one image. The pipeline (vision/src/pipeline) turns these measured values
 * into verdict reasons against thresholds from config; nothing here decides pass or reject.
 */

/** A text line found by the detector, in original-image pixel coordinates, with what the recogniser read. */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Mean text probability inside the box (DB box score), 0..1. */
  score: number;
  /** Recognised text, possibly empty when nothing legible was read. */
  text: string;
  /** Mean per-character probability of the recognised text, 0..1 (0 when `text` is empty). */
  confidence: number;
}

export type ContactKind = 'phone' | 'url' | 'email' | 'qq' | 'wechat';

export interface ContactFinding {
  kind: ContactKind;
  /** The matched text, as it appears in the recognised text. */
  text: string;
}

export interface ModelFindings {
  text: {
    boxes: TextBox[];
    /** Share of the image area covered by text boxes (union, not sum), 0..1. */
    coverage: number;
    contacts: ContactFinding[];
  };
  nsfw: {
    /** open_nsfw probability that the image is not safe for work, 0..1. */
    score: number;
  };
  category: {
    /**
     * Whether the picture fits the given category: true/false when the category (or an ancestor) has an
     * ImageNet mapping, null when the category is not covered or no categoryPath was given.
     */
    matches: boolean | null;
    /** Summed probability of the ImageNet classes mapped to the category, 0..1 (0 when not covered). */
    score: number;
    topLabels: { label: string; score: number }[];
  };
}

export interface AnalyzeOptions {
  /**
   * The product's category from the root down, as slugs (`['phones-digital','mobile','phone-cases']`) or as
   * core's category ids (`['cat_phones_digital','cat_mobile','cat_phone_cases']`). The deepest covered entry
   * decides.
   */
  categoryPath?: string[];
}

export interface PhotoModels {
  /** image: a decoded, EXIF-rotated image buffer (any format sharp reads). */
  analyze(image: Buffer, opts: AnalyzeOptions): Promise<ModelFindings>;
  /** Releases the inference sessions; analyze() must not be called afterwards. */
  close(): Promise<void>;
}

export interface LoadPhotoModelsOptions {
  /** Folder that `npm run setup:vision` filled (default in config: `.tools/models`). */
  modelDir: string;
  /** Images analysed at once; further analyze() calls wait their turn. Default 1 (2 cores). */
  concurrency?: number;
}
