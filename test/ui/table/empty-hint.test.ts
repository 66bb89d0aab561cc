import { describe, expect, it } from 'vitest';
import { emptyHint } from '../../../source/ui/table/empty-hint.ts';

describe('emptyHint', () => {
  it('tells what to do next in an empty namespace', () => {
    const pods = emptyHint({
      resource: 'pods',
      plural: 'pods',
      namespace: 'default',
      namespaced: true,
      readonly: false,
    });
    expect(pods).toBe(
      'No pods in namespace default yet. Create one with `:run NAME --image=nginx` or `:create deployment NAME --image=nginx`; `0` shows all namespaces.',
    );
    expect(
      emptyHint({
        resource: 'deployments.apps',
        plural: 'deployments',
        namespace: null,
        namespaced: true,
        readonly: false,
      }),
    ).toBe('No deployments in any namespace yet. Create one with `:create deployment NAME --image=nginx`.');
  });
  it('offers no mutation in read-only mode and no namespace switch for cluster-scoped kinds', () => {
    expect(emptyHint({ resource: 'pods', plural: 'pods', namespace: 'dev', namespaced: true, readonly: true })).toBe(
      'No pods in namespace dev yet; `0` shows all namespaces.',
    );
    expect(
      emptyHint({
        resource: 'storageclasses.storage.k8s.io',
        plural: 'storageclasses',
        namespace: 'dev',
        namespaced: false,
        readonly: true,
      }),
    ).toBe('No storageclasses yet.');
  });
  it('says nothing is wrong in an empty problems view, and offers no way to create events', () => {
    expect(
      emptyHint({ resource: 'problems', plural: 'problems', namespace: 'default', namespaced: false, readonly: false }),
    ).toBe('Nothing wrong found in namespace default.');
    expect(
      emptyHint({ resource: 'problems', plural: 'problems', namespace: null, namespaced: false, readonly: false }),
    ).toBe('Nothing wrong found in any namespace.');
    expect(
      emptyHint({ resource: 'events', plural: 'events', namespace: 'default', namespaced: true, readonly: false }),
    ).toBe('No events in namespace default yet; `0` shows all namespaces.');
  });
});
