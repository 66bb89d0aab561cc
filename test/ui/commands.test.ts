import { describe, expect, it } from 'vitest';
import { completeText, parseCommand } from '../../source/ui/commands.ts';
import { keyNames } from '../../source/ui/keys/parse.ts';
import { KEYMAP, bindingsFor, lookup } from '../../source/ui/keys/keymap.ts';
import { helpLines, helpSections } from '../../source/ui/help.ts';

describe('parseCommand', () => {
  it('understands quit, help, contexts, namespaces and resources with scope', () => {
    expect(parseCommand('q')).toEqual({ type: 'quit' });
    expect(parseCommand(' quit ')).toEqual({ type: 'quit' });
    expect(parseCommand('ctx')).toEqual({ type: 'contexts' });
    expect(parseCommand('ctx kind')).toEqual({ type: 'context', name: 'kind' });
    expect(parseCommand('ns kube-system')).toEqual({ type: 'namespace', name: 'kube-system' });
    expect(parseCommand('ns')).toEqual({ type: 'resource', name: 'ns' });
    expect(parseCommand('po kube-system')).toEqual({ type: 'resource', name: 'po', namespace: 'kube-system' });
    expect(parseCommand('deploy -A')).toEqual({ type: 'resource', name: 'deploy', namespace: null });
    expect(parseCommand('po -n x -l app=web')).toEqual({
      type: 'resource',
      name: 'po',
      namespace: 'x',
      labelSelector: 'app=web',
    });
    expect(parseCommand('')).toEqual({ type: 'empty' });
  });
});

describe('completeText', () => {
  const cands = (i: number) =>
    i === 0 ? ['pods', 'po', 'pod', 'deploy', 'deployments', 'ctx'] : ['default', 'kube-system'];
  it('offers the shortest longer candidate for the word being typed', () => {
    expect(completeText('p', cands)).toBe('po');
    expect(completeText('dep', cands)).toBe('deploy');
    expect(completeText('deploy', cands)).toBe('deployments');
    expect(completeText('po k', cands)).toBe('po kube-system');
    expect(completeText('po ', cands)).toBe('po default');
    expect(completeText('zz', cands)).toBeUndefined();
    expect(completeText('', cands)).toBeUndefined();
  });
});

describe('keyNames', () => {
  const k = (over: Record<string, boolean> = {}) => ({
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...over,
  });
  it('names special keys and splits runs of characters', () => {
    expect(keyNames('', k({ downArrow: true }))).toEqual(['down']);
    expect(keyNames('d', k({ ctrl: true }))).toEqual(['ctrl-d']);
    expect(keyNames('\x7f', k({ delete: true }))).toEqual(['backspace']);
    expect(keyNames(':no\r', k())).toEqual([':', 'n', 'o', 'enter']);
    expect(keyNames('a b\t\x7f\x15', k())).toEqual(['a', 'space', 'b', 'tab', 'backspace', 'ctrl-u']);
    expect(keyNames('N', k({ shift: true }))).toEqual(['N']);
    expect(keyNames('i', k({ meta: true }))).toEqual(['esc', 'i']); // ESC then i, read together
  });
});

describe('keymap', () => {
  it('has no key bound twice in the same view', () => {
    for (const view of ['table', 'text', 'logs'] as const) {
      for (const resource of [undefined, 'pods', 'deployments.apps', 'nodes', 'services', 'replicasets.apps']) {
        const seen = new Map<string, string>();
        for (const b of bindingsFor(view, resource, false)) {
          for (const key of b.keys) {
            const winner = lookup(key, view, resource, false)!;
            if (winner.command !== b.command && winner.resources && !b.resources) continue; // a resource binding wins on purpose
            expect(seen.get(key), `${key} in ${view}/${resource}`).toBeUndefined();
            seen.set(key, b.command);
          }
        }
      }
    }
  });

  it('hides dangerous bindings under readonly', () => {
    const dangerous = KEYMAP.filter((b) => b.dangerous);
    for (const b of dangerous) {
      expect(lookup(b.keys[0], b.views[0], b.resources?.[0], true)?.command).not.toBe(b.command);
    }
  });

  it('help lists every key of the view in columns that fit', () => {
    const lines = helpLines(helpSections({ kind: 'table', resource: 'pods' }, false), 100);
    const text = lines.join('\n');
    for (const b of bindingsFor('table', 'pods', false)) expect(text).toContain(b.label);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });
});
