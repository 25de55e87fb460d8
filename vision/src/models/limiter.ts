/**
 * At most `concurrency` tasks run at once; the rest wait in arrival order. Inference on two shared cores
 * gets slower, not faster, past a small number of images in flight, and each one holds its decoded pixels.
 */
export interface Limiter {
  <T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void>;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('concurrency must be an integer ≥ 1');
  let running = 0;
  const waiting: (() => void)[] = [];
  let idleWaiters: (() => void)[] = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    } else if (running === 0) {
      const resolvers = idleWaiters;
      idleWaiters = [];
      for (const resolve of resolvers) resolve();
    }
  };
  const limit = async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < concurrency) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
  limit.idle = (): Promise<void> =>
    running === 0 && waiting.length === 0
      ? Promise.resolve()
      : new Promise((resolve) => idleWaiters.push(resolve));
  return limit as Limiter;
}
