import type { I18n } from './i18n/i18n.svelte';

/** "in 7 min" / "any minute" / "3 min overdue", from an ISO time and now. */
export function etaText(i18n: I18n, etaAt: string | null, now: number): string | null {
  if (!etaAt) return null;
  const minutes = Math.round((new Date(etaAt).getTime() - now) / 60_000);
  if (minutes >= 1) return i18n.t('logistics.etaIn', { minutes });
  if (minutes > -1) return i18n.t('logistics.etaNow');
  return i18n.t('logistics.etaOverdue', { minutes: -minutes });
}

/** "14:32", the clock time of an ISO time. */
export function clockTime(i18n: I18n, iso: string): string {
  return new Date(iso).toLocaleTimeString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
}
