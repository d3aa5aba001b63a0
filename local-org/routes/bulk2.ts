/**
 * Bulk API 2.0 under `/services/data/vNN.N/jobs/`: ingest jobs (local-org/bulk2.ts) and query jobs
 * (local-org/bulk2-query.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm
 */
import { BulkIngest, type BulkScope } from '../bulk2.ts';
import { BulkQuery } from '../bulk2-query.ts';
import { MAX_API_VERSION, type DataRouteModule, type ServerState } from './router.ts';

/** The module and a `close()` that stops background job processing (server stop). */
export function bulk2Routes(state: ServerState): DataRouteModule & { close(): void } {
  const scope = (apiVersion: string): BulkScope => ({
    store: state.store,
    apiVersion,
    omniEnabled: () => state.context.omniEnabled,
    userId: state.identity.userId,
    onWritten: (n) => {
      state.stats.records += n;
      state.afterBackgroundWrite?.();
    },
  });
  const ingest = new BulkIngest(() => scope(`${MAX_API_VERSION}.0`));
  const query = new BulkQuery();
  return {
    name: 'bulk2',
    route(method, parts) {
      if (parts[0] === 'jobs' && parts[1] === 'ingest') return (r) => ingest.handle(method, parts.slice(2), r.body, scope(r.apiVersion));
      if (parts[0] === 'jobs' && parts[1] === 'query') return (r) => query.handle(method, parts.slice(2), r.body, r.url.searchParams, scope(r.apiVersion));
      return undefined;
    },
    close: () => {
      ingest.close();
      query.close();
    },
  };
}
