import { describe, expect, it } from 'vitest';
import { parseSgrMouse } from '../../../source/ui/mouse/sgr.ts';
import { osc52 } from '../../../source/ui/features/clipboard.ts';

describe('SGR mouse reports', () => {
  it('parses presses, releases and the wheel, with or without the ESC Ink strips', () => {
    expect(parseSgrMouse('\x1b[<0;10;5M')).toEqual({ button: 'left', x: 9, y: 4, release: false });
    expect(parseSgrMouse('[<0;10;5m')).toEqual({ button: 'left', x: 9, y: 4, release: true });
    expect(parseSgrMouse('[<64;1;1M')?.button).toBe('wheelUp');
    expect(parseSgrMouse('[<65;1;1M')?.button).toBe('wheelDown');
    expect(parseSgrMouse('[<2;1;1M')?.button).toBe('right');
    expect(parseSgrMouse('[<32;1;1M')?.button).toBe('other');
    expect(parseSgrMouse('[A')).toBeUndefined();
    expect(parseSgrMouse('j')).toBeUndefined();
  });

  it('OSC 52 carries the text in base64', () => {
    expect(osc52('web-1')).toBe('\x1b]52;c;d2ViLTE=\x07');
  });
});
