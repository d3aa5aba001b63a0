/**
 * The fields every Bulk API 2.0 job info carries, ingest and query alike (Bulk API 2.0 and Bulk API Developer
 * Guide, "Get Information About a Job"), in the platform's order. Each job kind adds its own fields after these.
 */
export interface BulkJobHead {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: string;
  apiVersion: string;
}

/** The shared head of a job info; `afterState` goes between `state` and `concurrencyMode` (e.g. externalIdFieldName). */
export function bulkJobInfoHead(job: BulkJobHead, afterState: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...afterState,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
  };
}
