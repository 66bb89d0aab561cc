import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_APPLIED, applyObject, deleteManifest, mergePatch } from '../../source/client/apply.ts';
import { discoverResources } from '../../source/client/discovery.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { ResourceRegistry } from '../../source/client/registry.ts';
import { Transport } from '../../source/client/transport.ts';
import type { KObject } from '../../source/api-types/index.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

describe('mergePatch (RFC 7386)', () => {
  it('is undefined when nothing changed, also for nested objects and arrays', () => {
    expect(mergePatch({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toBeUndefined();
  });

  it('sets changed and added fields, nulls removed ones, and only the changed branch of a nested object', () => {
    expect(
      mergePatch(
        { a: 1, gone: 'x', spec: { keep: 1, image: 'nginx:1' } },
        { a: 2, added: true, spec: { keep: 1, image: 'nginx:2' } },
      ),
    ).toEqual({
      a: 2,
      gone: null,
      added: true,
      spec: { image: 'nginx:2' },
    });
  });

  it('replaces arrays whole and values of another type', () => {
    expect(mergePatch({ list: [1, 2, 3] }, { list: [1, 2] })).toEqual({ list: [1, 2] });
    expect(mergePatch({ v: { x: 1 } }, { v: 'flat' })).toEqual({ v: 'flat' });
  });
});

// Client-side apply against a real engine, judged by what kubectl reads back.
let t: TestEngine;
let transport: Transport;
let registry: ResourceRegistry;

beforeAll(async () => {
  t = await startTestEngine();
  transport = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  registry = new ResourceRegistry(await discoverResources(transport));
}, 60_000);
afterAll(async () => {
  transport?.close();
  await t?.stop();
});

const configMap = (data: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data,
});

describe('applyObject', () => {
  it('creates, leaves unchanged, patches what changed, and removes a field the manifest dropped', async () => {
    expect(await applyObject(transport, registry, configMap({ a: '1', b: '2' }), 'default')).toEqual({
      text: 'configmap/settings created',
      ok: true,
    });
    expect(await applyObject(transport, registry, configMap({ a: '1', b: '2' }), 'default')).toEqual({
      text: 'configmap/settings unchanged',
      ok: true,
    });
    // Someone else adds a key: apply keeps it (three-way), but drops `b` that left the manifest.
    await t.kubectl(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"other":"x"}}']);
    expect(await applyObject(transport, registry, configMap({ a: '3' }), 'default')).toEqual({
      text: 'configmap/settings configured',
      ok: true,
    });
    const live = JSON.parse((await t.kubectl(['get', 'configmap', 'settings', '-o', 'json'])).stdout);
    expect(live.data).toEqual({ a: '3', other: 'x' });
    expect(JSON.parse(live.metadata.annotations[LAST_APPLIED])).toMatchObject({ kind: 'ConfigMap', data: { a: '3' } });
    // kubectl reads our annotation as its own: `c`, known only from it, goes when kubectl applies without it.
    await applyObject(transport, registry, configMap({ a: '3', c: '4' }), 'default');
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(configMap({ a: '3' })) });
    const after = JSON.parse((await t.kubectl(['get', 'configmap', 'settings', '-o', 'json'])).stdout);
    expect(after.data).toEqual({ a: '3', other: 'x' });
  });

  it('an unknown kind is an error naming it; delete says deleted, then not found', async () => {
    await expect(
      applyObject(
        transport,
        registry,
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
        'default',
      ),
    ).rejects.toThrow('no matches for kind "Widget" in version "example.com/v1"');
    expect(await deleteManifest(transport, registry, configMap({}), 'default')).toEqual({
      text: 'configmaps "settings" deleted',
      ok: true,
    });
    const again = await deleteManifest(transport, registry, configMap({}), 'default');
    expect(again.ok).toBe(false);
    expect(again.text).toContain('not found');
  });
});
