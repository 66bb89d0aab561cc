import { describe, expect, it } from 'vitest';
import { bindingsFor, lookup } from '../../../source/ui/keys/keymap.ts';

describe('troubleshooting keys', () => {
  it('binds E and J on every table, w on events, space and enter in xray, enter in problems', () => {
    expect(lookup('E', 'table', 'pods', false)?.command).toBe('obj.events');
    expect(lookup('J', 'table', 'replicasets.apps', false)?.command).toBe('obj.owner');
    expect(lookup('w', 'table', 'events', false)?.command).toBe('events.warnings');
    expect(lookup('w', 'table', 'pods', false)).toBeUndefined();
    expect(lookup('space', 'table', 'xray', false)?.command).toBe('xray.toggle');
    expect(lookup('enter', 'table', 'xray', false)?.command).toBe('virtual.goto');
    expect(lookup('enter', 'table', 'problems', false)?.command).toBe('virtual.goto');
    expect(lookup('enter', 'table', 'pods', false)?.command).toBe('table.enter');
    // E, J and w change nothing: they stay under --readonly.
    expect(lookup('E', 'table', 'pods', true)?.command).toBe('obj.events');
    expect(lookup('J', 'table', 'pods', true)?.command).toBe('obj.owner');
  });

  it("lists one enter in xray (the view's own), the generic one elsewhere", () => {
    const enter = (resource: string) =>
      bindingsFor('table', resource, false)
        .filter((b) => b.keys.includes('enter'))
        .map((b) => b.command);
    expect(enter('xray')).toEqual(['virtual.goto']);
    expect(enter('explain')).toEqual(['explain.open']);
    expect(enter('pods')).toEqual(['table.enter']);
  });
});
