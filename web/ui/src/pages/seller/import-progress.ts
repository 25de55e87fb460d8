import type { ImportJob, ImportStatus } from '../../lib/api/wire';
import type { ImportProgressMessage } from '../../lib/realtime/socket';

const FINISHED: ImportStatus[] = ['completed', 'failed'];

export function isFinished(status: ImportStatus): boolean {
  return FINISHED.includes(status);
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
