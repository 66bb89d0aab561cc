import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { flushingResponse } from './flushing-response.ts';
import type { Duplex } from 'node:stream';
import type { EngineContext } from '../context.ts';
import { resourceKey } from '../resources/types.ts';
import { ApiError, errors } from '../store/errors.ts';
import type { AuthContext } from '../auth/index.ts';
import { requestForbidden } from '../auth/forbidden.ts';
import { impersonatedUser } from '../auth/impersonation.ts';
import { nonResourceAttributes, resourceAttributes, type Attributes } from '../auth/request-info.ts';
import type { UserInfo } from '../auth/user.ts';
import { handleReview } from './reviews.ts';
import { handleTokenRequest } from './token-request.ts';
import { userStore } from './user-store.ts';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregated,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  resourceList,
  wantsAggregated,
} from './discovery.ts';
import { OpenApi } from './openapi.ts';
import { isCleanPath, parseApiPath } from './paths.ts';
import { prettyOf } from './query-params.ts';
import { markPretty, rawStatusResponse, sendError, sendJson } from './respond.ts';
import { handleCollection, handleItem } from './rest.ts';
import type { RestRequest } from './types.ts';
import { warn } from './strict.ts';
import { REVIEW_DEFS } from '../resources/rbac.ts';
import { METRICS_GROUP } from '../resources/metrics.ts';
import { handleMetrics } from '../metrics/api.ts';
import { handleHpaV1 } from './hpa-v1.ts';
import {
  handleBinding,
  handleEphemeralContainers,
  handleEviction,
  handleFinalize,
  handleScale,
  handleStatus,
} from './subresources.ts';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:04Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Handlers for skiff's own admin paths (`/skiff/...`), added by the engine. */
export type AdminHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface ApiServerHooks {
  admin?: AdminHandler;
  evict?: (ns: string, name: string, grace?: number) => void;
}

/** The Kubernetes HTTP API over the engine's store. */
export function createApiServer(
  ctx: EngineContext,
  tls: { cert: string; key: string },
  hooks: ApiServerHooks = {},
): Server {
  const openapi = new OpenApi(ctx.store.registry);
  const ServerResponse = flushingResponse(() => ctx.store.flush());
  const server = createServer({ cert: tls.cert, key: tls.key, ServerResponse }, (req, res) => {
    handle(ctx, openapi, hooks, req, res).catch((e) => sendError(res, e));
  });
  server.on('upgrade', (req, socket, head) => void upgrade(ctx, req, socket, head));
  // Unparseable HTTP (bad request line, oversized headers): answer with a Status, as the
  // apiserver would, unless a response is already under way on this socket.
  server.on(
    'clientError',
    (e: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
      if (!socket.writable || e.code === 'ECONNRESET' || socket._httpMessage?.headersSent) return void socket.destroy();
      const err =
        e.code === 'HPE_HEADER_OVERFLOW'
          ? new ApiError(431, 'RequestHeaderFieldsTooLarge', 'request header fields too large')
          : errors.badRequest(`malformed HTTP request: ${e.code ?? e.message}`);
      socket.end(rawStatusResponse(err));
      setTimeout(() => socket.destroy(), 1000).unref();
    },
  );
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(
  ctx: EngineContext,
  openapi: OpenApi,
  hooks: ApiServerHooks,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const rawPath = rawUrl.split('?', 1)[0]!;
  // Health endpoints answer without a token, as on a kubeadm cluster.
  if (rawPath === '/livez' || rawPath === '/readyz' || rawPath === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  const auth = ctx.auth;
  if (!auth) throw errors.serviceUnavailable('authentication is not set up');
  const user = impersonatedUser(req, await auth.authenticator.authenticate(req), auth.authorize);
  return serve({ ...ctx, store: userStore(ctx.store, user) }, auth, user, openapi, hooks, req, res);
}

function authorize(auth: AuthContext, user: UserInfo, a: Attributes): void {
  if (!auth.authorize(user, a)) throw requestForbidden(user, a);
}

async function serve(
  ctx: EngineContext,
  auth: AuthContext,
  user: UserInfo,
  openapi: OpenApi,
  hooks: ApiServerHooks,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const rawPath = rawUrl.split('?', 1)[0]!;
  // URL parsing would resolve `..` and `//`: refuse them rather than serve some other path.
  if (!isCleanPath(rawPath)) throw errors.badRequest(`invalid request path: ${JSON.stringify(rawPath.slice(0, 200))}`);
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://engine');
  } catch {
    throw errors.badRequest('malformed request URL');
  }
  if (prettyOf(url.searchParams)) markPretty(res);
  const p = url.pathname;
  const path = parseApiPath(p);
  if (!path) authorize(auth, user, nonResourceAttributes(req.method ?? 'GET', p));
  if (p.startsWith('/skiff/')) {
    if (hooks.admin && (await hooks.admin(req, res, url))) return;
    throw errors.notFound('', 'paths', p);
  }
  // Discovery, version and OpenAPI documents are read-only.
  if (!path && req.method !== 'GET') throw errors.methodNotAllowed();
  if (p === '/version' || p === '/version/') return sendJson(res, 200, VERSION_INFO);
  if (p === '/api' || p === '/apis') {
    const agg = wantsAggregated(req.headers.accept);
    if (agg)
      return sendJson(
        res,
        200,
        aggregated(ctx.store.registry, p === '/api', agg),
        agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1,
      );
    if (p === '/api') return sendJson(res, 200, legacyApiVersions(`${ctx.config.host}:${ctx.config.port}`));
    return sendJson(res, 200, legacyGroupList(ctx.store.registry));
  }
  if (p === '/openapi/v2') return openapi.v2.serve(req, res);
  if (p === '/openapi/v3') return sendJson(res, 200, openapi.index());
  if (p.startsWith('/openapi/v3/')) return openapi.serve(p.slice('/openapi/v3/'.length), url, req, res);
  const gv = p.match(/^\/api\/(v1)\/?$/) ?? p.match(/^\/apis\/([^/]+)\/([^/]+)\/?$/);
  if (gv) {
    const list = p.startsWith('/api/')
      ? resourceList(ctx.store.registry, '', gv[1]!)
      : resourceList(ctx.store.registry, gv[1]!, gv[2]!);
    if (!list) throw errors.notFound('', 'groups', p);
    return sendJson(res, 200, list);
  }
  const g = p.match(/^\/apis\/([^/]+)\/?$/);
  if (g) {
    const group = legacyGroup(ctx.store.registry, g[1]!);
    if (!group) throw errors.notFound('', 'groups', g[1]!);
    return sendJson(res, 200, group);
  }
  if (!path) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  // `/api/v1/namespaces/NAME[/SUB]` addresses a namespace, not a collection inside it.
  if (
    path.group === '' &&
    path.resource &&
    path.namespace &&
    !path.name &&
    ['status', 'finalize'].includes(path.resource)
  ) {
    path.name = path.namespace;
    path.subresource = path.resource;
    path.resource = 'namespaces';
    path.namespace = undefined;
  }
  const attrs = resourceAttributes(req.method ?? 'GET', path, url.searchParams, p);
  // A namespace is in itself, so a RoleBinding there can grant reading it.
  if (path.group === '' && path.resource === 'namespaces' && path.name) attrs.namespace = path.name;
  authorize(auth, user, attrs);
  if (path.group === 'autoscaling' && path.version === 'v1' && path.resource === 'horizontalpodautoscalers') {
    const v2 = ctx.store.registry.byPlural('autoscaling', 'v2', 'horizontalpodautoscalers')!;
    return handleHpaV1({ ctx, req, res, path, def: v2, query: url.searchParams });
  }
  const def = ctx.store.registry.byPlural(path.group, path.version, path.resource);
  if (!def) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const r: RestRequest = { ctx, req, res, path, def, query: url.searchParams };
  if (def.deprecationWarning) warn(res, [def.deprecationWarning]);
  if (REVIEWS.has(resourceKey(def)) && !path.name) return handleReview(r, auth, user);
  if (def.group === METRICS_GROUP) return handleMetrics(r);
  if (!path.name) return handleCollection(r);
  if (!path.subresource) return handleItem(r);
  switch (`${resourceKey(def)}/${path.subresource}`) {
    case 'deployments.apps/scale':
    case 'replicasets.apps/scale':
    case 'statefulsets.apps/scale':
    case 'replicationcontrollers/scale':
      return handleScale(r);
    case 'pods/binding':
      return handleBinding(r);
    case 'pods/eviction':
      return handleEviction(r, hooks.evict);
    case 'pods/ephemeralcontainers':
      return handleEphemeralContainers(r);
    case 'serviceaccounts/token':
      return handleTokenRequest(r, auth.issuer);
    case 'namespaces/finalize':
      return handleFinalize(r);
    case 'pods/log': {
      if (req.method !== 'GET') throw errors.methodNotAllowed();
      const pod = ctx.store.mustGet('pods', path.namespace, path.name);
      if (!ctx.podIO) throw errors.serviceUnavailable('the kubelet is not running');
      return ctx.podIO.log(pod, url.searchParams, req, res);
    }
    case 'pods/exec':
    case 'pods/attach':
    case 'pods/portforward':
      throw new ApiError(400, 'BadRequest', `Upgrade request required`);
  }
  if (path.subresource === 'status' && def.hasStatus) return handleStatus(r);
  if (path.subresource === 'scale' && def.scale) return handleScale(r);
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

const REVIEWS = new Set(REVIEW_DEFS.map((d) => resourceKey(d)));

async function upgrade(ctx: EngineContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const fail = (e: ApiError): void => void socket.end(rawStatusResponse(e));
  try {
    const auth = ctx.auth;
    if (!auth) return fail(errors.serviceUnavailable('authentication is not set up'));
    const user = impersonatedUser(req, await auth.authenticator.authenticate(req), auth.authorize);
    if (!isCleanPath((req.url ?? '/').split('?', 1)[0]!)) return fail(errors.badRequest('invalid request path'));
    const url = new URL(req.url ?? '/', 'http://engine');
    const path = parseApiPath(url.pathname);
    const sub = path?.subresource;
    if (
      !path ||
      path.group !== '' ||
      path.resource !== 'pods' ||
      !path.name ||
      !path.namespace ||
      (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward')
    ) {
      return fail(new ApiError(404, 'NotFound', 'the server could not find the requested resource'));
    }
    authorize(auth, user, resourceAttributes(req.method ?? 'GET', path, url.searchParams, url.pathname));
    const pod = ctx.store.mustGet('pods', path.namespace, path.name);
    if (!ctx.podIO) return fail(errors.serviceUnavailable('the kubelet is not running'));
    ctx.podIO.upgrade(sub, pod, url.searchParams, req, socket, head);
  } catch (e) {
    fail(e instanceof ApiError ? e : errors.internal(String(e)));
  }
}
