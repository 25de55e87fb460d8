export type QueryValue = string | number | boolean | undefined | null;

/** `{ a: 1, b: undefined, c: '' }` → `"?a=1"`; empty values are left out, and no params gives `""`. */
export function toQueryString(values: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}
