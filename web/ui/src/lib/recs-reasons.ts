import type { I18n } from './i18n/i18n.svelte';
import type { RecReason } from './api/wire';

/** "Why am I seeing this", in the reader's language; null for a reason the strip's title already says. */
export function reasonText(
  reason: RecReason | undefined,
  i18n: I18n,
  opts: { omit?: RecReason['kind'][] } = {},
) {
  if (!reason || opts.omit?.includes(reason.kind)) return null;
  const name = reason.name ? i18n.name({ name: reason.name, nameZh: reason.nameZh }) : '';
  switch (reason.kind) {
    case 'hot':
      return i18n.t('recs.reason.hot');
    case 'trending':
      return i18n.t('recs.reason.trending');
    case 'similar_to':
      return name ? i18n.t('recs.reason.similarTo', { name }) : i18n.t('recs.reason.similar');
    case 'bought_with':
      return name ? i18n.t('recs.reason.boughtWith', { name }) : i18n.t('recs.reason.boughtTogether');
    case 'affinity':
      if (reason.facet === 'category')
        return i18n.t('recs.reason.category', { name: name || reason.value || '' });
      if (reason.facet === 'brand') return i18n.t('recs.reason.brand', { name: reason.value ?? '' });
      return i18n.t('recs.reason.priceBand', { band: priceBandLabel(reason.value ?? '') });
  }
}

/** `50-100` → `¥50–100`, `<50` → `< ¥50`, `2000+` → `¥2000+` (bands are in yuan). */
export function priceBandLabel(band: string): string {
  if (band.startsWith('<')) return `< ¥${band.slice(1)}`;
  return `¥${band.replace('-', '–')}`;
}
