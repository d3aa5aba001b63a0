/**
 * OAuth 2.0 and identity: `POST /services/oauth2/token` (password and refresh_token grants),
 * `/services/oauth2/userinfo`, and the identity URL `/id/<orgId>/<userId>` the sf CLI reads after login.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
import { createHmac } from 'node:crypto';
import type { Row } from '../store.ts';
import { errorReply, type Reply } from '../rest.ts';
import { to18 } from '../ids.ts';
import { BASE_POLICY, unknownRoute, type RouteModule, type ServerState } from './router.ts';

export function oauthRoutes(state: ServerState): RouteModule {
  const { identity, credentials, context, store } = state;

  function tokenGrant(form: URLSearchParams): Reply {
    const grant = form.get('grant_type');
    const fail = (error: string, description: string): Reply => ({ status: 400, body: { error, error_description: description } });
    let refreshToken: string | undefined;
    if (grant === 'password') {
      const username = (form.get('username') ?? '').toLowerCase();
      if (username !== identity.username.toLowerCase() || form.get('password') !== credentials.password) return fail('invalid_grant', 'authentication failure');
      refreshToken = credentials.refreshToken;
    } else if (grant === 'refresh_token') {
      if (form.get('refresh_token') !== credentials.refreshToken) return fail('invalid_grant', 'expired access/refresh token');
    } else {
      return fail('unsupported_grant_type', 'grant type not supported');
    }
    const accessToken = state.issueToken();
    const issuedAt = String(Date.now());
    const id = `${context.instanceUrl}/id/${identity.orgId}/${identity.userId}`;
    const signature = createHmac('sha256', credentials.clientSecret).update(id + issuedAt).digest('base64');
    return {
      status: 200,
      body: { access_token: accessToken, ...(refreshToken ? { refresh_token: refreshToken } : {}), instance_url: context.instanceUrl, id, token_type: 'Bearer', issued_at: issuedAt, signature, scope: 'api web refresh_token' },
    };
  }

  const adminRow = (): Row => store.get(identity.userId)!;

  function identityUrls(): Record<string, string> {
    const base = context.instanceUrl;
    const org = identity.orgId;
    return {
      enterprise: `${base}/services/Soap/c/{version}/${org}`,
      metadata: `${base}/services/Soap/m/{version}/${org}`,
      partner: `${base}/services/Soap/u/{version}/${org}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      recent: `${base}/services/data/v{version}/recent/`,
      tooling_soap: `${base}/services/Soap/T/{version}/${org}`,
      tooling_rest: `${base}/services/data/v{version}/tooling/`,
      profile: `${base}/${identity.userId}`,
      custom_domain: base,
    };
  }

  function userInfo(): Record<string, unknown> {
    const admin = adminRow();
    return {
      sub: `${context.instanceUrl}/id/${identity.orgId}/${identity.userId}`,
      user_id: identity.userId,
      organization_id: identity.orgId,
      preferred_username: admin.Username,
      nickname: admin.Alias,
      name: admin.Name,
      email: admin.Email,
      email_verified: true,
      given_name: admin.FirstName,
      family_name: admin.LastName,
      zoneinfo: admin.TimeZoneSidKey,
      active: true,
      user_type: 'STANDARD',
      language: admin.LanguageLocaleKey,
      locale: admin.LocaleSidKey,
      utcOffset: -28800000,
      updated_at: admin.LastModifiedDate,
      is_app_installed: true,
      urls: identityUrls(),
    };
  }

  function identityDoc(): Record<string, unknown> {
    const admin = adminRow();
    return {
      id: `${context.instanceUrl}/id/${identity.orgId}/${identity.userId}`,
      asserted_user: true,
      user_id: identity.userId,
      organization_id: identity.orgId,
      username: admin.Username,
      nick_name: admin.Alias,
      display_name: admin.Name,
      email: admin.Email,
      email_verified: true,
      first_name: admin.FirstName,
      last_name: admin.LastName,
      timezone: admin.TimeZoneSidKey,
      active: true,
      user_type: 'STANDARD',
      language: admin.LanguageLocaleKey,
      locale: admin.LocaleSidKey,
      utcOffset: -28800000,
      last_modified_date: admin.LastModifiedDate,
      is_app_installed: true,
      urls: identityUrls(),
    };
  }

  return {
    name: 'oauth',
    route(method, path) {
      if (path === '/services/oauth2/token') {
        return {
          ...BASE_POLICY,
          kind: 'oauth/token',
          oauth: true,
          authRequired: false,
          faultExempt: true,
          handle: (request) => (method === 'POST' ? tokenGrant(new URLSearchParams(request.body)) : unknownRoute(state, method, request.url)),
        };
      }
      if (path === '/services/oauth2/userinfo') {
        return { ...BASE_POLICY, kind: 'oauth/userinfo', oauth: true, faultExempt: true, handle: () => ({ status: 200, body: userInfo() }) };
      }
      if (path.startsWith('/id/')) {
        return {
          ...BASE_POLICY,
          kind: 'identity',
          oauth: true,
          faultExempt: true,
          handle: () => {
            const [, , orgId, userId] = path.split('/');
            if (!orgId || !userId || to18(orgId) !== identity.orgId || to18(userId) !== identity.userId) return errorReply(403, 'BAD_ID', 'Bad_Id');
            return { status: 200, body: identityDoc() };
          },
        };
      }
      return undefined;
    },
  };
}
