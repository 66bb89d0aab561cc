import { JSON_CT, req, type HostileRequest } from './request.ts';
import type { Rng } from './rng.ts';
import { COLLECTIONS, DEPLOYMENTS, ITEMS, NS, validBody } from './targets.ts';

const TRICK_SEGMENTS = ['..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2e', ''];

/** Paths that URL normalisation would turn into other paths, or that name nothing. */
export function pathTricks(rng: Rng): HostileRequest {
  const method = rng.weighted([
    [5, 'GET'],
    [2, 'DELETE'],
    [1, 'POST'],
    [1, 'PUT'],
    [1, 'PATCH'],
  ] as const);
  const base = rng.pick([
    ...ITEMS.map((i) => i.path),
    ...COLLECTIONS.map((c) => c.path),
    '/api/v1/pods',
    '/api/v1/secrets',
    '/version',
    '/api',
    '/openapi/v3',
  ]);
  const segs = base.split('/');
  const path = rng.pick<() => string>([
    () => {
      // Never after the last segment: a trailing slash alone is a fine path.
      const at = rng.range(1, segs.length - 1);
      const s = [...segs];
      s.splice(at, 0, ...Array.from({ length: rng.range(1, 3) }, () => rng.pick(TRICK_SEGMENTS)));
      return s.join('/');
    },
    () => `//${rng.pick(['x', 'evil.example.com', '127.0.0.1', ''])}${base}`,
    () => base.replace(/\//g, (m) => (rng.chance(0.4) ? '\\' : m)).replace(/^[^\\]*$/, (p) => `${p}\\x`),
    () =>
      `${NS}/configmaps/${rng.pick(['a%2Fb', '..%2f..%2fsecrets', '%2F', '%00', '%ZZ', '%', 'target%00', '%C3%A9', '%E2%80%AE', 'target;x', 'target:..', '%252e%252e'])}`,
    () => `${base}/${Array.from({ length: rng.range(2, 6) }, () => 'x').join('/')}`,
    () =>
      rng.pick([
        '/api/v2/pods',
        '/apis/apps/v2/deployments',
        '/apis/evil.example.com/v1/things',
        `${NS}/foos`,
        `${NS}/pods/target/bogus`,
        '/apis/apps/v1/namespaces/default/pods',
        '/api/v1/namespaces/default/deployments',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/etc/passwd',
        '/api/v1/namespaces/default/configmaps/target/status',
      ]),
    () => `${NS}/configmaps/${'a'.repeat(rng.pick([254, 300, 5_000, 15_000, 40_000, 70_000]))}`,
    () => `/${'a/'.repeat(rng.pick([100, 2_000, 12_000]))}`,
  ])();
  const body =
    method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(validBody('ConfigMap', 'hostile-path'));
  const headers: Record<string, string> = body
    ? method === 'PATCH'
      ? { 'Content-Type': 'application/merge-patch+json' }
      : JSON_CT
    : {};
  return req('paths', method, path, headers, body);
}

const BAD_LABEL_TERMS = [
  '=',
  '=a',
  'a=b=c',
  '!=a',
  'a in (',
  'a in b',
  'in (a)',
  'a notin (b',
  '(',
  ')',
  'a,(b)',
  '!',
  '!a=b',
  'a!b',
  'a in (b c)',
  'a=b c',
  `a=${'x'.repeat(64)}`,
  'é=a',
  'a=é',
  '%',
  'a==b==c',
  'a b',
  '-a=b',
  'a=-b',
  'a/b/c=d',
  'a in ((b))',
  'a=(b)',
];
const GOOD_LABEL_TERMS = ['a=b', 'app!=web', 'tier in (x,y)', 'env notin (prod)', 'x', '!y', 'k8s.io/name=z'];
const BAD_FIELD_TERMS = [
  'spec.foo=bar',
  'metadata.labels=x',
  '=x',
  'metadata.name',
  'data.k=v',
  'metadata.name~x',
  'x',
  '!',
  'status.nonsense=1',
  'metadata.uid=abc',
];

function selector(rng: Rng, bad: string[], good: string[]): string {
  const terms = Array.from({ length: rng.range(0, 3) }, () => rng.pick(good));
  terms.splice(rng.int(terms.length + 1), 0, rng.pick(bad));
  return terms.join(rng.pick([',', ', ']));
}

/** Invalid label and field selectors on list, watch and delete-collection. */
export function selectors(rng: Rng): HostileRequest {
  const c = rng.pick(COLLECTIONS);
  const param = rng.chance(0.6)
    ? `labelSelector=${encodeURIComponent(selector(rng, BAD_LABEL_TERMS, GOOD_LABEL_TERMS))}`
    : `fieldSelector=${encodeURIComponent(selector(rng, BAD_FIELD_TERMS, ['metadata.name=target', 'metadata.namespace!=x']))}`;
  const [method, query] = rng.weighted([
    [3, ['GET', param]],
    [2, ['GET', `watch=true&timeoutSeconds=1&${param}`]],
    [2, ['DELETE', param]],
  ] as const);
  return req('selectors', method, `${c.path}?${query}`);
}

/** Query values the API cannot take. */
export function badQuery(rng: Rng): HostileRequest {
  const c = rng.pick(COLLECTIONS);
  const item = rng.pick(ITEMS);
  const create = JSON.stringify(validBody(c.kind, 'hostile-query'));
  return rng.pick<() => HostileRequest>([
    // `limit=-1` is not here: the apiserver reads a limit of 0 or less as no limit (a 200).
    () =>
      req(
        'query',
        'GET',
        `${c.path}?limit=${rng.pick(['abc', '1.5', '1e400', '-0.5', 'NaN', 'Infinity', '--1', '1_000'])}`,
      ),
    () =>
      req(
        'query',
        'GET',
        `${c.path}?limit=1&continue=${rng.pick(['garbage!!', Buffer.from('{"after":5}').toString('base64url'), Buffer.from('not json').toString('base64url'), Buffer.from('[]').toString('base64url'), '%00'])}`,
      ),
    () =>
      req(
        'query',
        'GET',
        `${c.path}?resourceVersion=${rng.pick(['abc', '-1', '1.5', '1e3', '%201', '0x1', '%E0%A5%A7', 'null'])}`,
      ),
    () => req('query', 'GET', `${c.path}?watch=true&resourceVersion=${rng.pick(['abc', '-1', '1.5', 'x1'])}`),
    () =>
      req(
        'query',
        'GET',
        `${c.path}?watch=${rng.pick(['true', '1'])}&timeoutSeconds=${rng.pick(['abc', '-5', '1.5', '1e999', 'NaN', '%00'])}`,
      ),
    () =>
      req('query', 'POST', `${c.path}?dryRun=${rng.pick(['Bogus', 'all', 'true', 'All&dryRun=x'])}`, JSON_CT, create),
    () =>
      req(
        'query',
        'POST',
        `${c.path}?fieldValidation=${rng.pick(['Bogus', 'strict', 'true', '%00'])}`,
        JSON_CT,
        create,
      ),
    () =>
      req(
        'query',
        'POST',
        `${c.path}?fieldValidation=Strict`,
        JSON_CT,
        JSON.stringify({ ...JSON.parse(create), bogusField: 1 }),
      ),
    () => req('query', 'PUT', `${item.path}?dryRun=Bogus`, JSON_CT, JSON.stringify(validBody(item.kind, 'target'))),
    () =>
      req(
        'query',
        'PATCH',
        `${item.path}?dryRun=Bogus`,
        { 'Content-Type': 'application/merge-patch+json' },
        '{"metadata":{"labels":{"x":"y"}}}',
      ),
    () =>
      req(
        'query',
        'DELETE',
        `${item.path}?${rng.pick(['gracePeriodSeconds=abc', 'gracePeriodSeconds=-5', 'gracePeriodSeconds=1.5', 'propagationPolicy=Bogus', 'propagationPolicy=', 'propagationPolicy=orphan', 'dryRun=Bogus'])}`,
      ),
    () =>
      req(
        'query',
        'DELETE',
        item.path,
        JSON_CT,
        rng.pick([
          '[]',
          '5',
          '"x"',
          '[{"gracePeriodSeconds":0}]',
          '{"dryRun":"All"}',
          '{"dryRun":["Bogus"]}',
          '{"gracePeriodSeconds":"abc"}',
          '{"gracePeriodSeconds":-1}',
          '{"gracePeriodSeconds":1.5}',
          '{"propagationPolicy":5}',
          '{"propagationPolicy":"Bogus"}',
          '{"preconditions":{"uid":"wrong"}}',
          '{"preconditions":{"resourceVersion":"1"}}',
          '{',
          'null',
        ]),
      ),
    () =>
      req(
        'query',
        'POST',
        `${NS}/pods/target/eviction`,
        JSON_CT,
        JSON.stringify({
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: 'target' },
          deleteOptions: { gracePeriodSeconds: rng.pick(['abc', -1, 1.5, {}, [1]]) },
        }),
      ),
  ])();
}

/** Bodies in media types the endpoint does not take. */
export function contentTypes(rng: Rng): HostileRequest {
  const item = rng.pick(ITEMS);
  return rng.pick<() => HostileRequest>([
    () => {
      const c = rng.pick(COLLECTIONS);
      const ct = rng.pick([
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/octet-stream',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
        'application/apply-patch+yaml',
        'application/cbor',
        'image/png',
        'application/jsonx',
        'json',
        'application/vnd.kubernetes.protobuf;stream=watch+json',
      ]);
      return req(
        'content-type',
        'POST',
        c.path,
        { 'Content-Type': ct },
        JSON.stringify(validBody(c.kind, 'hostile-ct')),
      );
    },
    () =>
      req(
        'content-type',
        'PUT',
        item.path,
        { 'Content-Type': rng.pick(['text/plain', 'application/merge-patch+json', 'application/xml']) },
        JSON.stringify(validBody(item.kind, 'target')),
      ),
    () =>
      req(
        'content-type',
        'PATCH',
        item.path,
        {
          'Content-Type': rng.pick([
            'application/json',
            'application/yaml',
            'text/plain',
            'application/vnd.kubernetes.protobuf',
            'application/patch',
            'merge-patch+json',
          ]),
        },
        '{"metadata":{"labels":{"x":"y"}}}',
      ),
    () => req('content-type', 'PATCH', item.path, {}, '{"metadata":{"labels":{"x":"y"}}}'),
  ])();
}

/** Methods an endpoint does not serve. */
export function badMethods(rng: Rng): HostileRequest {
  const c = rng.pick(COLLECTIONS);
  const item = rng.pick(ITEMS);
  const [method, path] = rng.pick<readonly [string, string]>([
    [rng.pick(['PUT', 'PATCH', 'OPTIONS', 'TRACE']), c.path],
    [rng.pick(['POST', 'OPTIONS', 'TRACE']), item.path],
    [
      rng.pick(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']),
      rng.pick([
        '/api',
        '/apis',
        '/api/v1',
        '/apis/apps/v1',
        '/apis/apps',
        '/version',
        '/openapi/v3',
        '/openapi/v3/api/v1',
      ]),
    ],
    [rng.pick(['GET', 'PUT', 'DELETE', 'PATCH']), `${NS}/pods/target/${rng.pick(['binding', 'eviction'])}`],
    [rng.pick(['POST', 'PUT', 'DELETE', 'PATCH']), `${NS}/pods/target/log`],
    [rng.pick(['DELETE', 'POST']), rng.pick([`${NS}/pods/target/status`, `${DEPLOYMENTS}/target/scale`])],
    [rng.pick(['GET', 'POST', 'DELETE']), '/api/v1/namespaces/default/finalize'],
    [rng.pick(['GET', 'POST', 'DELETE']), `${NS}/pods/target/${rng.pick(['exec', 'attach', 'portforward'])}`],
  ]);
  const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
  return req(
    'methods',
    method,
    path,
    body ? { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } : {},
    body,
  );
}
