/**
 * What a photo's verdict is made of: its status, the reasons behind it and support's decision. Kept apart
 * from the pipeline's types (which carry Buffers) because the Svelte app reads these too, through the API
 * schemas and the realtime contract.
 */

/** `checking` until the first check finished; then the verdict of the latest check. */
export type PhotoStatus = 'checking' | 'pass' | 'needs_review' | 'reject';
export type PhotoVerdict = 'pass' | 'needs_review' | 'reject';
export type ReviewDecision = 'approved' | 'rejected';

/** What a reason does to the verdict; `info` is reported to the seller and changes nothing. */
export type ReasonSeverity = 'info' | 'review' | 'reject';

export const REASON_CODES = [
  'undecodable',
  'pixel_limit',
  'resolution',
  'blur',
  'underexposed',
  'overexposed',
  'highlights_clipped',
  'shadows_clipped',
  'aspect_ratio',
  'background',
  'product_fill',
  'text_coverage',
  'contact',
  'nsfw',
  'category_mismatch',
  'duplicate',
  'models_unavailable',
  'check_failed',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** One finding behind a verdict: the measured value next to the threshold it was held against. */
export interface VerdictReason {
  code: ReasonCode;
  severity: ReasonSeverity;
  value: number;
  /** The configured limit the value crossed; null when the rule has none (contacts found, a model's own call). */
  threshold: number | null;
  /** Plain English, for logs and the API; the UI builds its own sentence from code, value and threshold. */
  message: string;
  /** What was found, when it helps: the contact text, the best category label. */
  detail?: string;
  /** For `duplicate`: the photo and product that look the same. */
  photoId?: string;
  productId?: string;
}
