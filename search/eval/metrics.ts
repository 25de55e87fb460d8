import type { JudgedQuery } from './build-judgments';

export function gradesOf(query: JudgedQuery): Map<string, number> {
  const grades = new Map<string, number>();
  for (const g of [3, 2, 1] as const) {
    for (const id of query.judgments[g].split(' ')) if (id) grades.set(id, g);
  }
  return grades;
}

/** NDCG@k with exponential gain (2^grade − 1) and a log2 discount; the ideal ranking uses every judged product. */
export function ndcgAt(k: number, ranked: readonly string[], grades: ReadonlyMap<string, number>): number {
  const dcg = (gains: number[]) =>
    gains.slice(0, k).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...grades.values()].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((id) => grades.get(id) ?? 0)) / ideal;
}

/**
 * Recall@k of the products that matter most for the query: grade ≥ 2 when there are any, else grade ≥ 1.
 * Divided by min(relevant, k), so "case" (a thousand relevant products) can still reach 1.
 */
export function recallAt(k: number, ranked: readonly string[], grades: ReadonlyMap<string, number>): number {
  const floor = [...grades.values()].some((g) => g >= 2) ? 2 : 1;
  const relevant = [...grades].filter(([, g]) => g >= floor).map(([id]) => id);
  if (!relevant.length) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / Math.min(relevant.length, k);
}
