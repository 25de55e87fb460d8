/**
 * Lighthouse (its Node API) on Debian's Chromium, mobile preset (Lighthouse's default form factor, with
 * its simulated slow-4G network and 4× CPU slowdown). Nothing is downloaded: chrome-launcher starts the
 * Chromium at CHROME_PATH (default /usr/bin/chromium).
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];

export interface PageScores {
  /** 0-100 per category. */
  scores: Record<Category, number>;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  /** Audits that cost points (score below 1 with weight in a category), e.g. `color-contrast`. */
  failing: string[];
}

export interface LighthouseRunner {
  run(url: string): Promise<PageScores>;
  close(): Promise<void>;
}

export async function startLighthouse(): Promise<LighthouseRunner> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    async run(url) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
      });
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`Lighthouse gave no result for ${url}`);
      if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
      ) as Record<Category, number>;
      const failing = new Set<string>();
      for (const c of CATEGORIES) {
        for (const ref of lhr.categories[c]?.auditRefs ?? []) {
          const score = lhr.audits[ref.id]?.score;
          if (ref.weight > 0 && score !== null && score !== undefined && score < 1) failing.add(ref.id);
        }
      }
      const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      return {
        scores,
        lcpMs: numeric('largest-contentful-paint'),
        cls: numeric('cumulative-layout-shift'),
        tbtMs: numeric('total-blocking-time'),
        failing: [...failing],
      };
    },
    async close() {
      chrome.kill();
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Each figure's median over the runs, taken separately (so a row need not be one run's). */
export function medianScores(runs: PageScores[]): PageScores {
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, median(runs.map((r) => r.scores[c]))])) as Record<
      Category,
      number
    >,
    lcpMs: median(runs.map((r) => r.lcpMs)),
    cls: median(runs.map((r) => r.cls)),
    tbtMs: median(runs.map((r) => r.tbtMs)),
    failing: [...new Set(runs.flatMap((r) => r.failing))].sort(),
  };
}
