import type { I18n } from '../../lib/i18n/i18n.svelte';
import type { MessageKey } from '../../lib/i18n/messages';
import type { PhotoReason } from './photo-api';

/** Reasons whose value and threshold are shares of something, shown as percentages. */
const SHARES = new Set([
  'highlights_clipped',
  'shadows_clipped',
  'background',
  'product_fill',
  'text_coverage',
]);

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function show(code: string, n: number | null): string {
  if (n === null) return '';
  if (SHARES.has(code)) return percent(n);
  if (code === 'nsfw') return n.toFixed(3);
  if (code === 'pixel_limit') return `${(n / 1e6).toFixed(0)} MP`;
  return String(Math.round(n * 10) / 10);
}

/** A reason as a sentence in the current language, from its code, measured value and threshold. */
export function reasonText(i18n: I18n, reason: PhotoReason, productId: string): string {
  const key = (
    reason.code === 'duplicate'
      ? reason.severity !== 'info'
        ? 'photoReason.duplicate.other'
        : reason.productId === productId
          ? 'photoReason.duplicate.same'
          : 'photoReason.duplicate.own'
      : `photoReason.${reason.code}`
  ) as MessageKey;
  try {
    return i18n.t(key, {
      value: show(reason.code, reason.value),
      threshold: show(reason.code, reason.threshold),
      detail: reason.detail ?? '',
      product: reason.productId ?? '',
    });
  } catch {
    // A reason this page does not know yet (a newer server): the server's own English sentence.
    return reason.message;
  }
}
