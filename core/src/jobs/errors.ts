/** Thrown by a handler when retrying cannot help (bad payload, entity gone): the job goes straight to `dead`. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** The attempt no longer owns its job: its lease ran out and another attempt took over, or the job ended. */
export class JobLeaseLostError extends Error {
  override name = 'JobLeaseLostError';
  constructor(
    readonly jobId: string,
    readonly attempt: number,
  ) {
    super(`job ${jobId} attempt ${attempt} lost its lease`);
  }
}

/** The worker is shutting down and its grace period ran out. */
export class WorkerStoppingError extends Error {
  override name = 'WorkerStoppingError';
  constructor() {
    super('worker stopping');
  }
}
