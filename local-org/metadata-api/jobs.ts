/**
 * Async-job lookups shared by deploy and retrieve, with the faults the real service gives for ids it
 * doesn't know, and the Metadata API's date format.
 */
import type { AsyncJob, LocalOrgContext } from '../context.ts';
import { isIdLike } from '../ids.ts';
import { argText, SoapFault, type SoapTree, type XmlValue } from './soap.ts';

/** `2024-05-01T10:00:00.000Z`, as Metadata API results carry dates. */
export function isoDate(from?: string | Date): string {
  if (from === undefined) return new Date().toISOString();
  const date = typeof from === 'string' ? new Date(from.replace(/\+0000$/, 'Z')) : from;
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

/**
 * A malformed id is `INVALID_ID_FIELD`; a well-formed id of no job of this kind is
 * `INVALID_CROSS_REFERENCE_KEY`.
 */
export function checkAsyncId(org: LocalOrgContext, id: string, kind: string, keyPrefix: string): AsyncJob {
  const trimmed = id.trim();
  if (!isIdLike(trimmed) || !trimmed.startsWith(keyPrefix)) {
    throw new SoapFault('INVALID_ID_FIELD', `Invalid id: ${trimmed}`);
  }
  const job = org.jobs.get(trimmed);
  if (!job || job.kind !== kind) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  return job;
}

/** The deprecated `checkStatus` call (jsforce's `.check()`): an AsyncResult for a deploy or retrieve id. */
export function checkStatus(org: LocalOrgContext, args: SoapTree): XmlValue {
  const id = (argText(args, 'asyncProcessId') ?? '').trim();
  const job = id.startsWith('09S') ? checkAsyncId(org, id, 'retrieve', '09S') : checkAsyncId(org, id, 'deploy', '0Af');
  const data = job.data as { status: string; done: boolean };
  const state = data.done ? (data.status === 'Failed' ? 'Error' : 'Completed') : data.status === 'Pending' ? 'Queued' : 'InProgress';
  return { done: data.done, id: job.id, state };
}
