import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JSON_CT, req, type HostileRequest } from './request.ts';
import type { Rng } from './rng.ts';
import { COLLECTIONS, ITEMS, validBody, type Collection } from './targets.ts';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'latin1');
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'protobuf');
const protobufFixtures: Array<{ kind: string; bin: Buffer }> = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => ({
    kind: JSON.parse(readFileSync(join(FIXTURES, f.replace(/\.bin$/, '.json')), 'utf8')).kind as string,
    bin: readFileSync(join(FIXTURES, f)),
  }));

/** POST to a collection or PUT to an existing object: where a body goes. */
function target(
  rng: Rng,
  allowPut: boolean,
): { method: string; path: string; c: { kind: string; apiVersion: string } } {
  if (allowPut && rng.chance(0.3)) {
    const i = rng.pick(ITEMS);
    return { method: 'PUT', path: i.path, c: i };
  }
  const c = rng.pick(COLLECTIONS);
  return { method: 'POST', path: c.path, c };
}

/** Text that JSON.parse rejects, or JSON that is not an object. */
export function badJsonText(rng: Rng, valid: string): Buffer | string {
  return rng.pick<() => Buffer | string>([
    () => rng.bytes(rng.int(2000)),
    () => valid.slice(0, rng.int(valid.length)),
    () => valid + rng.pick(['}', ']', ',', 'x', '\0', '{}', '\n{"a":1}']),
    () => valid.replace(/"/g, "'"),
    () => valid.replace('{', '{/* comment */'),
    () => valid.replace(/:/, ': NaN, "x":'),
    () => valid.replace(/:/, ': Infinity, "x":'),
    () => valid.replace(/:/, ': 01, "x":'),
    () => valid.replace(/"/, '"\\x41'),
    () => `\uFEFF${valid}`,
    () => rng.pick(['5', '"str"', '[1,2]', 'null', 'true', '[]', '-0', '1e999', '""']),
    () =>
      Buffer.concat([Buffer.from(valid.slice(0, 20)), rng.bytes(rng.range(1, 50)), Buffer.from(valid.slice(20))])
        .toString('latin1')
        .replace(/[{}]/g, ''),
  ])();
}

export function malformedJson(rng: Rng): HostileRequest {
  const t = target(rng, true);
  const valid = JSON.stringify(validBody(t.c.kind, 'hostile-json'));
  return req('json', t.method, t.path, JSON_CT, badJsonText(rng, valid));
}

const YAML_TOKENS = [
  ':',
  ': ',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '!!binary ',
  '!custom ',
  '\t',
  '\n',
  '  ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '? ',
  '|',
  '>',
  '#',
  'key',
  'value',
  'metadata',
  'labels',
  'spec',
  ',',
  '\\',
  '@',
  '`',
  '%',
  '\0',
  'é',
];

export function malformedYaml(rng: Rng): HostileRequest {
  // YAML that parses may become an object, so these go only to POST (no name can come out of them).
  const c = rng.pick(COLLECTIONS);
  const ct = rng.pick(['application/yaml', 'application/x-yaml', 'text/yaml']);
  const body = rng.pick<() => Buffer | string>([
    () => rng.bytes(rng.int(2000)),
    () => Array.from({ length: rng.range(1, 60) }, () => rng.pick(YAML_TOKENS)).join(''),
    () => 'metadata:\n\tgenerateName: hostile-\n',
    () => 'metadata:\n  labels: [\n',
    () => 'metadata: {labels: {a: "b}}\n',
    () => 'kind: ConfigMap\nkind: ConfigMap\nmetadata: {}\n',
    () => 'a: 1\n---\nb: 2\n',
    () => '- a\n- b\n',
    () => rng.pick(['"scalar"', '~', '123', 'true', '[]', '']),
    () =>
      'a: &a [x,x,x,x,x,x,x,x,x,x]\n' +
      'bcdefghij'
        .split('')
        .map(
          (k, i) =>
            `${k}: &${k} [${Array(10)
              .fill(`*${i ? 'bcdefghij'[i - 1] : 'a'}`)
              .join(',')}]`,
        )
        .join('\n'),
    () => 'metadata: !!js/function "function(){}"\n',
    () => 'metadata:\n  labels:\n    a: b\n   c: d\n',
    // Tags that make values JSON cannot hold; otherwise these would be good creates.
    () =>
      `metadata: {generateName: hostile-}\n${rng.pick(['x: !!binary aGVsbG8=', 'x: !!set {a, b}', 'x: !!omap [{a: 1}]', 'x: !!timestamp 2001-12-14', 'x: .inf', 'x: -.inf', 'x: .nan'])}\n`,
  ])();
  return req('yaml', 'POST', c.path, { 'Content-Type': ct }, body);
}

/** Protobuf bodies: garbage, or real kubectl bodies cut or corrupted and sent to another kind's endpoint. */
export function malformedProtobuf(rng: Rng): HostileRequest {
  const f = rng.pick(protobufFixtures);
  // A corrupted fixture may still decode; at an endpoint of another kind it must still be refused.
  const other = COLLECTIONS.find(
    (c) => c.kind !== f.kind && (f.kind === 'ConfigMap' ? c.kind === 'Pod' : c.kind === 'ConfigMap'),
  )!;
  const flip = () => {
    const b = Buffer.from(f.bin);
    for (let n = rng.range(1, 3); n > 0; n--) b[rng.range(4, b.length - 1)] = rng.int(256);
    return b;
  };
  const [body, path] = rng.pick<() => [Buffer, string]>([
    () => [rng.bytes(rng.int(500)), rng.pick(COLLECTIONS).path],
    () => [Buffer.concat([MAGIC, rng.bytes(rng.int(500))]), rng.pick(COLLECTIONS).path],
    () => [MAGIC, rng.pick(COLLECTIONS).path],
    () => [Buffer.from('k8s'), rng.pick(COLLECTIONS).path],
    () => [f.bin.subarray(0, rng.range(1, f.bin.length - 1)), other.path],
    () => [flip(), other.path],
    () => {
      const at = rng.range(4, f.bin.length);
      return [Buffer.concat([f.bin.subarray(0, at), rng.bytes(rng.range(1, 20)), f.bin.subarray(at)]), other.path];
    },
    () => [Buffer.concat([MAGIC, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])]), rng.pick(COLLECTIONS).path],
  ])();
  return req('protobuf', 'POST', path, { 'Content-Type': PROTOBUF }, body);
}

/** Parseable objects whose kind, apiVersion, metadata or namespace do not fit the endpoint. */
export function wrongKind(rng: Rng): HostileRequest {
  const put = rng.chance(0.3);
  const item = rng.pick(ITEMS);
  const c: Collection | (typeof ITEMS)[number] = put ? item : rng.pick(COLLECTIONS);
  const body = validBody(c.kind, put ? 'target' : 'hostile-kind');
  const others = COLLECTIONS.filter((o) => o.kind !== c.kind);
  rng.pick<() => void>([
    () => (body.kind = rng.pick(others).kind),
    () =>
      (body.kind = rng.pick([
        c.kind.toLowerCase(),
        `${c.kind}List`,
        'Status',
        '',
        'DeleteOptions',
        5,
        {},
        [],
        null,
        true,
      ])),
    () =>
      (body.apiVersion = rng.pick([
        'v2',
        c.apiVersion === 'v1' ? 'apps/v1' : 'v1',
        'extensions/v1beta1',
        '',
        'v1/',
        '/v1',
        'v1beta1',
        5,
        null,
        ['v1'],
      ])),
    () => (body.metadata = rng.pick(['x', 5, [], null, true, [{ name: 'x' }]])),
    () => (body.metadata.namespace = rng.pick(['kube-system', 'other', 'Default'])),
    () => (body.metadata.name = 'not-the-url-name'),
  ])();
  // A namespace in the body is ignored for cluster-scoped kinds, and a POST name need not match a URL.
  if (!put && body.metadata?.namespace && !('namespaced' in c && c.namespaced)) body.kind = 'Status';
  if (!put && body.metadata?.name === 'not-the-url-name') body.apiVersion = 'v2';
  return req('wrong-kind', put ? 'PUT' : 'POST', c.path, JSON_CT, JSON.stringify(body));
}

/** Bodies over the 3 MiB limit: 413 whatever they contain, with or without a Content-Length. */
export function hugeBody(rng: Rng): HostileRequest {
  const size = 3 * 1024 * 1024 + 1 + rng.int(256 * 1024);
  const head = '{"metadata":{"name":"huge"},"data":{"a":"';
  const body = Buffer.alloc(size, 'A');
  body.write(head);
  const method = rng.pick(['POST', 'PUT', 'PATCH']);
  const path = method === 'POST' ? rng.pick(COLLECTIONS).path : rng.pick(ITEMS).path;
  const headers: Record<string, string> = {
    'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
  };
  if (rng.chance(0.5)) headers['Transfer-Encoding'] = 'chunked';
  return req('huge', method, path, headers, body);
}

export function nested(d: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? '{"a":'.repeat(d) + '1' + '}'.repeat(d) : '['.repeat(d) + ']'.repeat(d);
}

/** Nesting deeper than any object needs (the engine refuses past 100 levels). */
export function deepNesting(rng: Rng): HostileRequest {
  const d = rng.pick([101, 150, 1000, 10_000, 100_000, 400_000]);
  const shape = rng.pick(['object', 'array'] as const);
  return rng.pick<() => HostileRequest>([
    () =>
      req(
        'deep',
        'POST',
        rng.pick(COLLECTIONS).path,
        JSON_CT,
        `{"metadata":{"name":"deep"},"data":${nested(d, shape)}}`,
      ),
    () => req('deep', 'POST', rng.pick(COLLECTIONS).path, JSON_CT, nested(d, shape)),
    () =>
      req(
        'deep',
        'PUT',
        rng.pick(ITEMS).path,
        JSON_CT,
        `{"metadata":{"name":"target","resourceVersion":"1"},"spec":${nested(d, shape)}}`,
      ),
    () =>
      req(
        'deep',
        'PATCH',
        rng.pick(ITEMS).path,
        { 'Content-Type': rng.pick(['application/merge-patch+json', 'application/strategic-merge-patch+json']) },
        `{"metadata":${nested(d, shape)}}`,
      ),
    () =>
      req(
        'deep',
        'PATCH',
        rng.pick(ITEMS).path,
        { 'Content-Type': 'application/json-patch+json' },
        `[{"op":"add","path":"/metadata/labels","value":${nested(d, shape)}}]`,
      ),
    () =>
      req(
        'deep',
        'POST',
        rng.pick(COLLECTIONS).path,
        { 'Content-Type': 'application/yaml' },
        '['.repeat(Math.min(d, 100_000)) + ']'.repeat(Math.min(d, 100_000)),
      ),
    () =>
      req(
        'deep',
        'POST',
        rng.pick(COLLECTIONS).path,
        { 'Content-Type': 'application/yaml' },
        Array.from({ length: Math.min(d, 1500) }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n',
      ),
  ])();
}

const BAD_CHARS = [
  '/',
  '\\',
  '_',
  'A',
  'Z',
  ' ',
  '\0',
  '\n',
  '\t',
  '%',
  ':',
  '@',
  '!',
  '$',
  '`',
  ';',
  '|',
  '&',
  '*',
  '?',
  '~',
  '=',
  '+',
  '..',
  'é',
  '日',
  '\u202e',
  '😀',
  '\ud800',
  "'",
  '"',
  '<',
  '>',
];

/** A name no kind accepts: a bad character somewhere, a bad start or end, or too long. */
export function badName(rng: Rng): string {
  const word = () =>
    Array.from({ length: rng.range(1, 12) }, () => rng.pick('abcdefghijklmnopqrstuvwxyz0123456789-'.split('')))
      .join('')
      .replace(/^-|-$/g, 'x');
  return rng.pick<() => string>([
    () => `${word()}${rng.pick(BAD_CHARS)}${word()}`,
    () => `${rng.pick(BAD_CHARS)}${word()}`,
    () => `${word()}${rng.pick(BAD_CHARS)}`,
    () => rng.pick(['-', '.', '.x']) + word(),
    () => word() + rng.pick(['-', '.']),
    () => 'a'.repeat(rng.range(254, 400)),
    () =>
      rng.pick([
        '..',
        '.',
        '',
        '../x',
        'a/b',
        '/etc/passwd',
        '..%2f..%2fetc',
        '%2e%2e',
        '$(reboot)',
        '`id`',
        'a;id',
        'a&&id',
        'a||id',
        'a\nb',
        '\0',
      ]),
  ])();
}

/** Otherwise valid creates with a bad name, generateName, namespace, label or annotation. */
export function badNames(rng: Rng): HostileRequest {
  const c = rng.pick(COLLECTIONS);
  const body = validBody(c.kind, 'hostile-name');
  let path = c.path;
  rng.pick<() => void>([
    () => (body.metadata.name = badName(rng)),
    () => (body.metadata.name = badName(rng)),
    () => {
      delete body.metadata.name;
      // Short, and bad before the random suffix (`abc-` or `abc.` would make good names).
      body.metadata.generateName = rng.pick([
        `x${rng.pick(BAD_CHARS)}x`,
        `${rng.pick(BAD_CHARS)}x`,
        '-x',
        '.x',
        '../',
        '..',
        'a/b-',
      ]);
    },
    () =>
      (body.metadata.labels = {
        [rng.pick([
          'a b',
          '-a',
          'a/b/c',
          'UPPER/x',
          '',
          'é',
          '/a',
          'a/',
          'x'.repeat(254) + '/a',
          'x'.repeat(64),
          'a/' + 'x'.repeat(64),
        ])]: 'v',
      }),
    () =>
      (body.metadata.labels = {
        a: rng.pick(['a b', '-a', 'x'.repeat(64), 'é', 'a/b', 5, null, true, { x: 1 }, ['v']]),
      }),
    () => (body.metadata.labels = rng.pick(['x', 5, ['a=b'], true])),
    () => (body.metadata.annotations = { a: rng.pick([5, null, true, { x: 1 }, ['v']]) }),
    () =>
      (body.metadata.annotations = { [rng.pick(['a b', '', '-a', 'é', 'x'.repeat(64), `${'x'.repeat(254)}/a`])]: 'v' }),
    () => {
      if (!c.namespaced) return void (body.metadata.name = badName(rng));
      path = c.path.replace(
        '/namespaces/default/',
        `/namespaces/${rng.pick(['UPPER', 'a.b', 'x'.repeat(64), 'no-such-ns', '-a', 'a_b', 'a:b'])}/`,
      );
    },
  ])();
  return req('names', 'POST', path, JSON_CT, JSON.stringify(body));
}
