export { createJobQueue, DEFAULT_MAX_ATTEMPTS, type JobQueueDeps } from './queue';
export { createJobWorker, retryDelayMs, type JobWorkerDeps } from './worker';
export { PermanentJobError, JobLeaseLostError, WorkerStoppingError } from './errors';
export type {
  AttemptOutcome,
  EnqueueOptions,
  EnqueueRequest,
  JobContext,
  JobHandler,
  JobQueue,
  JobRecord,
  JobStatus,
  JobWorker,
  JobWorkerStatus,
  ListJobsFilter,
  QueueBacklog,
  WorkerOptions,
} from './types';
