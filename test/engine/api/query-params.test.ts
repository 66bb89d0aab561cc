import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryBool, queryInt } from '../../../source/engine/api/query-params.ts';
import { startTestEngine, type TestEngine } from '../../helpers/engine.ts';

describe('query parameters as the apiserver decodes them', () => {
  it('reads booleans like apimachinery: only absent, 0 and false (any case) are false', () => {
    for (const t of [
      'watch',
      'watch=1',
      'watch=t',
      'watch=T',
      'watch=TRUE',
      'watch=true',
      'watch=True',
      'watch=',
      'watch=yes',
    ]) {
      expect(queryBool(new URLSearchParams(t), 'watch'), t).toBe(true);
    }
    for (const f of ['', 'other=1', 'watch=0', 'watch=false', 'watch=False', 'watch=FALSE', 'watch=fAlSe']) {
      expect(queryBool(new URLSearchParams(f), 'watch'), f).toBe(false);
    }
  });

  it('reads int64 like strconv.ParseInt, with its wording', () => {
    expect(queryInt(new URLSearchParams('limit=5'), 'limit')).toBe(5);
    expect(queryInt(new URLSearchParams('limit=-3'), 'limit')).toBe(-3);
    expect(queryInt(new URLSearchParams(''), 'limit')).toBeUndefined();
    expect(() => queryInt(new URLSearchParams('limit=abc'), 'limit')).toThrow(
      'strconv.ParseInt: parsing "abc": invalid syntax',
    );
    expect(() => queryInt(new URLSearchParams('limit='), 'limit')).toThrow(
      'strconv.ParseInt: parsing "": invalid syntax',
    );
    expect(() => queryInt(new URLSearchParams('limit=1.5'), 'limit')).toThrow('invalid syntax');
    expect(() => queryInt(new URLSearchParams('limit=99999999999999999999'), 'limit')).toThrow(
      'strconv.ParseInt: parsing "99999999999999999999": value out of range',
    );
  });
});

describe('query parameters against a running engine', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine({ apiOnly: true });
  });
  afterAll(async () => t?.stop());

  /** GET a path; resolve with status and body once `until` matches the body so far, or the response ends. */
  const get = (path: string, until?: RegExp) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(path, t.engine.url);
      const req = request(u, { ca: t.engine.caCert, headers: { Authorization: `Bearer ${t.engine.token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
          if (until?.test(body)) {
            resolve({ status: res.statusCode!, body });
            req.destroy();
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each(['watch=True', 'watch=1', 'watch', 'watch=TRUE'])('?%s streams events', async (q) => {
    const r = await get(`/api/v1/namespaces?${q}`, /"type":"ADDED"/);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.split('\n')[0]!)).toMatchObject({ type: 'ADDED', object: { kind: 'Namespace' } });
  });

  it('?watch=False lists', async () => {
    const r = await get('/api/v1/namespaces?watch=False');
    expect(JSON.parse(r.body).kind).toBe('NamespaceList');
  });

  it('a malformed integer is the apiserver 400, byte for byte', async () => {
    const r = await get('/api/v1/namespaces?limit=abc');
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"strconv.ParseInt: parsing \\"abc\\": invalid syntax","reason":"BadRequest","code":400}\n',
    );
    expect((await get('/api/v1/namespaces?watch=1&timeoutSeconds=x')).status).toBe(400);
  });

  it('a 404 Status has details before code and a trailing newline', async () => {
    const r = await get('/api/v1/namespaces/nope');
    expect(r.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"namespaces \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","kind":"namespaces"},"code":404}\n',
    );
  });

  it('?pretty=true indents, ?pretty=junk does not', async () => {
    expect((await get('/api/v1/namespaces/default?pretty=true')).body).toMatch(/^\{\n {2}"[a-z]+": /);
    expect((await get('/api/v1/namespaces/default?pretty=junk')).body).toMatch(/^\{"[a-z]+":[^\n]*\n$/);
  });
});
