/** Money is integer fen (1/100 yuan) everywhere; these turn it into text and back. */
const yuan = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatFen(fen: number): string {
  return `¥${yuan.format(fen / 100)}`;
}

export function formatPriceRange(min: number, max: number): string {
  return min === max ? formatFen(min) : `${formatFen(min)} – ${formatFen(max)}`;
}

/** `"12.5"` → 1250; anything that is not a non-negative amount with at most two decimals → null. */
export function parseYuan(text: string): number | null {
  const trimmed = text.trim().replace(/^¥/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** For prefilling inputs: 1250 → "12.50". */
export function fenToYuanText(fen: number): string {
  return (fen / 100).toFixed(2);
}
