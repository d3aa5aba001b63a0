/**
 * SOAP endpoints `/services/Soap/<letter>/<version>`: the Metadata API (`m`) is answered by
 * local-org/metadata-api; other SOAP APIs are recognised (so their faults use the right namespace)
 * but not served.
 */
import { BASE_POLICY, MAX_API_VERSION, MIN_API_VERSION, unknownRoute, type RouteModule, type ServerState } from './router.ts';
import { soapFault } from '../http.ts';

const SOAP_WRITES = new Set(['deploy', 'createMetadata', 'updateMetadata', 'upsertMetadata', 'deleteMetadata', 'renameMetadata', 'cancelDeploy', 'deployRecentValidation']);

export function soapRoutes(state: ServerState): RouteModule {
  return {
    name: 'soap',
    route(method, path, body) {
      const soap = /^\/services\/Soap\/(\w)\//.exec(path);
      if (!soap) return undefined;
      const operation = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1] ?? 'unknown';
      const api = soap[1] === 'm' ? 'metadata' : soap[1] === 'u' ? 'partner' : soap[1];
      return {
        ...BASE_POLICY,
        kind: `soap/${api}:${operation}`,
        soapApi: api,
        write: SOAP_WRITES.has(operation),
        handle: async (request) => {
          const metadata = /^\/services\/Soap\/m\/(\d+\.\d)$/.exec(path);
          if (!metadata) return unknownRoute(state, method, request.url);
          const version = Number(metadata[1]);
          // [F-03] A version the org doesn't serve, as the platform answers it.
          if (version < MIN_API_VERSION || version > MAX_API_VERSION) return soapFault('metadata', 'UNSUPPORTED_API_VERSION', 'Invalid Api version specified on URL');
          const metadataApi = await import('../metadata-api/index.ts');
          const answer = await metadataApi.handleMetadataApi(state.context, metadata[1], request.body);
          return { status: answer.statusCode, body: answer.body, contentType: 'text/xml; charset=utf-8' };
        },
      };
    },
  };
}
