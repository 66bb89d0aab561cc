import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { Cache } from '../../../source/engine/framework/cache.ts';
import type { StoreEvent } from '../../../source/engine/store/store.ts';

const pod = (name: string, node: string | undefined, rv: number): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', resourceVersion: String(rv) },
  spec: node ? { nodeName: node } : {},
});
const ev = (type: StoreEvent['type'], object: KObject): StoreEvent => ({ type, rv: 0, resource: 'pods', object });

describe('Cache', () => {
  it('keeps its indexes current through adds, updates that keep or change index values, and deletes', () => {
    const c = new Cache({
      node: (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []),
      ns: (o) => [o.metadata.namespace!],
    });
    c.apply(ev('ADDED', pod('a', undefined, 1)));
    c.apply(ev('ADDED', pod('b', 'n1', 2)));
    expect(c.by('node', 'n1').map((p) => p.metadata.name)).toEqual(['b']);
    const a2 = pod('a', 'n1', 3);
    c.apply(ev('MODIFIED', a2));
    expect(c.by('node', 'n1').map((p) => p.metadata.name)).toEqual(['b', 'a']);
    const b3 = pod('b', 'n1', 4);
    c.apply(ev('MODIFIED', b3));
    // The latest version is what the index hands out, in its place.
    expect(c.by('node', 'n1')).toEqual([b3, a2]);
    expect(c.by('ns', 'ns').map((p) => p.metadata.resourceVersion)).toEqual(['3', '4']);
    c.apply(ev('MODIFIED', pod('a', 'n2', 5)));
    expect(c.by('node', 'n1').map((p) => p.metadata.name)).toEqual(['b']);
    expect(c.by('node', 'n2').map((p) => p.metadata.name)).toEqual(['a']);
    c.apply(ev('DELETED', pod('b', 'n1', 6)));
    expect(c.by('node', 'n1')).toEqual([]);
    expect(c.get('ns', 'b')).toBeUndefined();
    expect(c.by('ns', 'ns').map((p) => p.metadata.name)).toEqual(['a']);
  });

  it('with indexedOnly keeps an object once an index lists it, and indexes it as any other', () => {
    const c = new Cache({ node: (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []) }, { indexedOnly: true });
    c.apply(ev('ADDED', pod('a', undefined, 1)));
    expect(c.get('ns', 'a')).toBeUndefined();
    const a2 = pod('a', 'n1', 2);
    c.apply(ev('MODIFIED', a2));
    expect(c.by('node', 'n1')).toEqual([a2]);
    c.apply(ev('MODIFIED', pod('a', undefined, 3)));
    expect(c.by('node', 'n1')).toEqual([]);
    c.apply(ev('DELETED', pod('a', undefined, 4)));
    expect(c.get('ns', 'a')).toBeUndefined();
    // The store's key, when the event carries it, is the key.
    c.apply({ ...ev('ADDED', pod('b', 'n2', 5)), key: 'ns/b' });
    expect(c.get('ns', 'b')?.metadata.resourceVersion).toBe('5');
  });
});
