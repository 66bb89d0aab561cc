import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { pasteRuns } from '../../../source/ui/keys/paste.ts';

const plain = {} as Key;

describe('pasteRuns', () => {
  it('keeps a chunk of text whole and names the keys inside it', () => {
    expect(pasteRuns('nginx:1.9.1', plain)).toEqual([{ text: 'nginx:1.9.1' }]);
    expect(pasteRuns('3\r', plain)).toEqual([{ text: '3' }, { key: 'enter' }]);
    expect(pasteRuns('a b\tc', plain)).toEqual([{ text: 'a b' }, { key: 'tab' }, { text: 'c' }]);
  });
  it('leaves single keys and control chords to the keymap', () => {
    expect(pasteRuns('x', plain)).toBeUndefined();
    expect(pasteRuns('🚀', plain)).toBeUndefined();
    expect(pasteRuns('ab', { ctrl: true } as Key)).toBeUndefined();
  });
});
