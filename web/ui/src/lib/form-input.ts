/** What the management forms (coupons, promotions, flash sales) read from their text inputs. */

/** A whole number typed as plain digits within `min..max`, or null (no signs, decimals, `1e3` or `0x10`). */
export function wholeNumber(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : null;
}

/** `2026-11-26T10:00` (what a datetime-local input holds, in local time) → ISO UTC; '' → undefined. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
