/**
 * Product photos: what a seller uploaded, what the check found, and whether shoppers may see it.
 * The checking itself (decoding, variants, metrics, hash, models) sits behind the `PhotoInspector` port,
 * implemented by `@market/vision`; core keeps the state, the rules of who sees what, and the jobs.
 */

import type { PhotoStatus, PhotoVerdict, ReviewDecision, VerdictReason } from './verdict';

export {
  REASON_CODES,
  type PhotoStatus,
  type PhotoVerdict,
  type ReasonCode,
  type ReasonSeverity,
  type ReviewDecision,
  type VerdictReason,
} from './verdict';

/** Every measured quality value of one photo (sizes after EXIF rotation). */
export interface PhotoMetrics {
  width: number;
  height: number;
  /** Laplacian variance over the sharpest quarter of the frame (higher is sharper). */
  sharpness: number;
  /** Mean luminance, 0..255. */
  meanLuminance: number;
  /** Share of the product's pixels (not the background) at or near pure white. */
  highlightClip: number;
  /** Share of all pixels at or near pure black. */
  shadowClip: number;
  /** Longer side over shorter side, ≥ 1. */
  aspectRatio: number;
  /** Share of the frame that is light, neutral background connected to the border. */
  backgroundShare: number;
  /** How far the product spreads across the frame: its bounding box's larger relative side, 0..1. */
  productFill: number;
}

export interface PhotoTextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
  confidence: number;
}

/** What the ONNX models found; null when they could not run (see `models_unavailable`). */
export interface PhotoFindings {
  text: {
    /** Boxes in the pixel space of `analysisWidth × analysisHeight`. */
    boxes: PhotoTextBox[];
    /** The detector's own share of the frame under any box (the verdict counts legible boxes only). */
    coverage: number;
    contacts: { kind: string; text: string }[];
  };
  nsfwScore: number;
  category: { matches: boolean | null; score: number; topLabels: { label: string; score: number }[] };
}

export interface DuplicateMatch {
  photoId: string;
  productId: string;
  sellerId: string;
  /** Hamming distance between the two 64-bit perceptual hashes. */
  distance: number;
}

export const VARIANT_SIZES = ['thumb', 'medium', 'large'] as const;
export type VariantSize = (typeof VARIANT_SIZES)[number];
export const VARIANT_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

export interface VariantFile {
  size: VariantSize;
  format: VariantFormat;
  width: number;
  height: number;
  data: Buffer;
}

/** Limits every check is held to; from config (PHOTO_* variables). */
export interface PhotoThresholds {
  /** Shorter side below this many pixels: reject. */
  minSide: number;
  /** Sharpness below this: reject as blurred. */
  minSharpness: number;
  /** Mean luminance below this: review (too dark). */
  minLuminance: number;
  /** Mean luminance above this: review (washed out). */
  maxLuminance: number;
  /** Share of the product's pixels blown to white above this: review. */
  maxHighlightClip: number;
  /** Share of pixels crushed to black above this: review. */
  maxShadowClip: number;
  /** Longer over shorter side above this: review. */
  maxAspectRatio: number;
  /** Main image: clean light background share below this: review. */
  minBackgroundShare: number;
  /** Main image: product fill below this: review. */
  minProductFill: number;
  /** Text covering more than this share of the frame: review. */
  textReviewShare: number;
  /** Text covering more than this share of the frame: reject. */
  textRejectShare: number;
  /** open_nsfw score at or above this: review. */
  nsfwReviewScore: number;
  /** open_nsfw score at or above this: reject. */
  nsfwRejectScore: number;
  /** Perceptual hashes at most this many bits apart are near-duplicates. */
  duplicateDistance: number;
}

export interface PhotoLimits {
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Largest image accepted, in pixels (width × height); decoding refuses anything larger. */
  maxPixels: number;
  /** Photos one product may have. */
  perProduct: number;
  /** Photos one seller may have stored across all products. */
  perSeller: number;
}

export type ProbeResult =
  | { ok: true; format: 'jpeg' | 'png' | 'webp' | 'avif'; width: number; height: number }
  | { ok: false; reason: 'unsupported' | 'pixel_limit'; message: string };

/** Everything one check measured, before the verdict. */
export interface Inspection {
  metrics: PhotoMetrics;
  /** 64-bit DCT perceptual hash, 16 hex digits. */
  phash: string;
  findings: PhotoFindings | null;
  /** Why `findings` is null (the models are not set up, or failed on this image). */
  modelsError: string | null;
  /** Size of the image the text boxes refer to. */
  analysisWidth: number;
  analysisHeight: number;
  variants: VariantFile[];
  /** Milliseconds per stage (decode, variants, metrics, hash, models). */
  timings: Record<string, number>;
}

export type InspectResult =
  ({ ok: true } & Inspection) | { ok: false; reason: 'undecodable' | 'pixel_limit'; message: string };

export interface JudgeInput {
  metrics: PhotoMetrics;
  findings: PhotoFindings | null;
  modelsError: string | null;
  /** Nearest first, one per product. */
  duplicates: (DuplicateMatch & { sameSeller: boolean; sameProduct: boolean })[];
  /** Size of the image the text boxes refer to. */
  analysisWidth: number;
  analysisHeight: number;
  /** Main images are also held to the background and fill rules. */
  main: boolean;
}

/**
 * The photo checking port. Implementations must be safe on hostile input: a decompression bomb, a
 * truncated file or a non-image is an answer (`ok: false`), never a crash or an unbounded allocation.
 */
export interface PhotoInspector {
  /** Reads the header only: the format from the content (never the file name) and the declared size. */
  probe(content: Buffer): Promise<ProbeResult>;
  /** Decodes (pixel-limited), auto-rotates, strips metadata, renders variants, measures, hashes, runs the models. */
  inspect(content: Buffer, opts: { categoryPath: string[] }): Promise<InspectResult>;
  /** The verdict and every reason for it, from measurements and thresholds alone (pure). */
  judge(input: JudgeInput): { verdict: PhotoVerdict; reasons: VerdictReason[] };
  /** Names the variant set: changes when the variant settings change, so URLs can be cached forever. */
  readonly variantsVersion: string;
  close(): Promise<void>;
}

export interface PhotoReview {
  decision: ReviewDecision;
  by: string;
  note: string;
  at: string;
}

/** A photo as its seller and support see it. */
export interface Photo {
  id: string;
  productId: string;
  sellerId: string;
  shopId: string;
  fileName: string;
  format: string;
  bytes: number;
  sha256: string;
  status: PhotoStatus;
  /** Shown to shoppers: passed, or approved by support (and not rejected by support). */
  public: boolean;
  main: boolean;
  reasons: VerdictReason[];
  metrics: PhotoMetrics | null;
  findings: PhotoFindings | null;
  analysisWidth: number;
  analysisHeight: number;
  duplicates: DuplicateMatch[];
  review: PhotoReview | null;
  /** Variant URLs (any viewer allowed to see the photo may load them); null until the first check. */
  urls: PhotoUrls | null;
  /** How many checks have finished. */
  checks: number;
  checkedAt: string | null;
  createdAt: string;
}

export interface PhotoUrls {
  thumb: string;
  medium: string;
  large: string;
}

/** What the storefront shows for a product: its public photos, main first. */
export interface PublicPhotos {
  /** Moves forward whenever the product's photos or their checks change. */
  version: number;
  photos: { id: string; urls: PhotoUrls }[];
}
