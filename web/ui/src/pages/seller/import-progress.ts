import type { ImportJob, ImportStatus } from '../../lib/api/wire';
import type { ImportProgressMessage } from '../../lib/realtime/socket';

const FINISHED: ImportStatus[] = ['completed', 'failed'];

export function isFinished(status: ImportStatus): boolean {
  return FINISHED.includes(status);
}

/**
 * How a job ended, as the seller should read it: a job that ran to the end but imported nothing failed
 * as far as they are concerned, and one with some bad rows is partial — never a green "Completed".
 */
export type ImportOutcome = 'queued' | 'running' | 'completed' | 'partial' | 'failed';

export function outcomeOf(job: Pick<ImportJob, 'status' | 'succeeded' | 'failed'>): ImportOutcome {
  if (job.status !== 'completed') return job.status;
  if (job.failed === 0) return 'completed';
  return job.succeeded > 0 ? 'partial' : 'failed';
}

/**
 * Folds a progress message (socket) or a fresh read (polling) into what we show. The two race, so counts
 * only move forward and a finished status is never undone by a late "running".
 */
export function mergeProgress(job: ImportJob, update: ImportProgressMessage | ImportJob): ImportJob {
  const finishedBefore = isFinished(job.status);
  const status = finishedBefore && !isFinished(update.status) ? job.status : update.status;
  const merged: ImportJob = {
    ...job,
    status,
    totalRows: Math.max(job.totalRows, update.totalRows),
    processedRows: Math.max(job.processedRows, update.processedRows),
    succeeded: Math.max(job.succeeded, update.succeeded),
    failed: Math.max(job.failed, update.failed),
  };
  if ('errors' in update) {
    merged.errors = update.errors.length >= job.errors.length ? update.errors : job.errors;
    merged.errorsTruncated = update.errorsTruncated;
    merged.finishedAt = update.finishedAt ?? job.finishedAt;
    merged.fileName = update.fileName || job.fileName;
  }
  return merged;
}
