import ort from 'onnxruntime-node';

export interface SessionOptions {
  /** Threads one inference may use; with two cores and one image at a time, 2. */
  intraOpNumThreads: number;
}

/**
 * Each model's InferenceSession is created on first use and then shared by every analysis: creating one
 * costs tens of milliseconds and tens of MB, and a session's run() is safe to call concurrently.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  private closed = false;

  constructor(private readonly options: SessionOptions) {}

  get(file: string): Promise<ort.InferenceSession> {
    if (this.closed) return Promise.reject(new Error('photo models are closed'));
    let session = this.sessions.get(file);
    if (!session) {
      session = ort.InferenceSession.create(file, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        intraOpNumThreads: this.options.intraOpNumThreads,
        interOpNumThreads: 1,
      });
      // A failed load is not cached, so a later call can retry (e.g. after setup ran).
      session.catch(() => this.sessions.delete(file));
      this.sessions.set(file, session);
    }
    return session;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.sessions.values()];
    this.sessions.clear();
    const settled = await Promise.allSettled(pending);
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.release() : undefined)));
  }
}

export { ort };
