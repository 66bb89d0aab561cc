/** SGR mouse reporting (xterm mode 1000 for presses, releases and the wheel; 1006 for the encoding). */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

export interface MouseEvent {
  button: 'left' | 'middle' | 'right' | 'wheelUp' | 'wheelDown' | 'other';
  /** 0-based cell. */
  x: number;
  y: number;
  release: boolean;
}

// Ink strips the leading ESC of a sequence it does not know, so both forms are accepted.
const SGR = /^(?:\x1b)?\[<(\d+);(\d+);(\d+)([Mm])$/;

/** The event an SGR report (`ESC[<0;10;5M`) describes, or undefined for any other input. */
export function parseSgrMouse(input: string): MouseEvent | undefined {
  const m = SGR.exec(input);
  if (!m) return undefined;
  const code = Number(m[1]);
  // Bit 5 (32) marks motion, bits 2-4 (4, 8, 16) modifiers; the low bits and 64 pick the button.
  const base = code & ~(4 | 8 | 16 | 32);
  const button =
    base === 0
      ? 'left'
      : base === 1
        ? 'middle'
        : base === 2
          ? 'right'
          : base === 64
            ? 'wheelUp'
            : base === 65
              ? 'wheelDown'
              : 'other';
  return { button: code & 32 ? 'other' : button, x: Number(m[2]) - 1, y: Number(m[3]) - 1, release: m[4] === 'm' };
}
