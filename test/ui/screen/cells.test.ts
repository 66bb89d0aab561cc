import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../source/ui/screen/cells.ts';

describe('parseLine', () => {
  it('splits a framed table line into cells with their styles', () => {
    const line = '\x1b[34m│\x1b[39m web-1 5m…\x1b[1m↑\x1b[22m\x1b[34m│\x1b[39m';
    const { chars, styles, opaque } = parseLine(line);
    expect(chars).toEqual(['│', ' ', 'w', 'e', 'b', '-', '1', ' ', '5', 'm', '…', '↑', '│']);
    expect(styles).toEqual(['34', '', '', '', '', '', '', '', '', '', '', '1', '34']);
    expect(opaque).toBe(false);
  });

  it('keeps graphemes whole: combining marks, wide characters, emoji', () => {
    expect(parseLine('e\u0301x').chars).toEqual(['e\u0301', 'x']);
    expect(parseLine('Ü\u0308').chars).toEqual(['Ü\u0308']);
    expect(parseLine('│\u0301a').chars).toEqual(['│\u0301', 'a']);
    expect(parseLine('日本a').chars).toEqual(['日', '', '本', '', 'a']);
    expect(parseLine('a👍b').chars).toEqual(['a', '👍', '', 'b']);
  });

  it('marks a line with other escapes opaque', () => {
    expect(parseLine('\x1b]8;;http://x\x07link').opaque).toBe(true);
    expect(parseLine('a\x1b[2Kb').opaque).toBe(true);
  });
});
