/**
 * Typo tolerance scaled by term length, as shoppers expect from Algolia-style search: short words must
 * be exact (one edit turns "tv" into "tea"), mid-length words allow one edit, long words two. Terms
 * with digits are model numbers and sizes ("s7", "4060", "256gb"): one edit there is another product.
 */
export function allowedEdits(term: string): number {
  if (/\d/.test(term)) return 0;
  const length = Array.from(term).length;
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

/**
 * Every string one adjacent swap away ("iphnoe" → "iphone"). Levenshtein distance counts a swap as two
 * edits, which a 6-letter word is not allowed; swapped letters are the commonest typing slip, so the
 * query builder adds the swaps that exist in the index as exact alternatives.
 */
export function adjacentTranspositions(term: string): string[] {
  const chars = Array.from(term);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] === chars[i + 1]) continue;
    const swapped = chars.slice();
    swapped[i] = chars[i + 1]!;
    swapped[i + 1] = chars[i]!;
    out.add(swapped.join(''));
  }
  return [...out];
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), giving up past `max` so scanning
 * a whole vocabulary for "did you mean" stays cheap. Returns max + 1 when the distance exceeds max.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, prevPrev[j - 2]! + 1);
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]! > max ? max + 1 : prev[b.length]!;
}
