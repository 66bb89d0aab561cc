import stringWidth from 'string-width';

/**
 * One screen row as cells: `chars[x]` is what column x shows ('' for the right half of a wide
 * character) and `styles[x]` its SGR attributes as a canonical parameter string ('' = default).
 * `opaque` marks a line holding escapes other than SGR (for example hyperlinks): such a line is
 * never diffed cell by cell, only rewritten whole.
 */
export interface CellLine {
  chars: string[];
  styles: string[];
  opaque: boolean;
}

interface Pen {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  blink: boolean;
  inverse: boolean;
  hidden: boolean;
  strike: boolean;
  fg: string;
  bg: string;
}

const plainPen = (): Pen => ({
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  blink: false,
  inverse: false,
  hidden: false,
  strike: false,
  fg: '',
  bg: '',
});

function styleKey(p: Pen): string {
  let k = '';
  const add = (s: string) => (k = k ? `${k};${s}` : s);
  if (p.bold) add('1');
  if (p.dim) add('2');
  if (p.italic) add('3');
  if (p.underline) add('4');
  if (p.blink) add('5');
  if (p.inverse) add('7');
  if (p.hidden) add('8');
  if (p.strike) add('9');
  if (p.fg) add(p.fg);
  if (p.bg) add(p.bg);
  return k;
}

/** Applies the parameters of one `ESC [ … m` sequence to the pen. */
function applySgr(p: Pen, params: string): void {
  const xs = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < xs.length; i++) {
    const n = Number(xs[i] || '0');
    if (n === 0) Object.assign(p, plainPen());
    else if (n === 1) p.bold = true;
    else if (n === 2) p.dim = true;
    else if (n === 3) p.italic = true;
    else if (n === 4) p.underline = true;
    else if (n === 5) p.blink = true;
    else if (n === 7) p.inverse = true;
    else if (n === 8) p.hidden = true;
    else if (n === 9) p.strike = true;
    else if (n === 22) p.bold = p.dim = false;
    else if (n === 23) p.italic = false;
    else if (n === 24) p.underline = false;
    else if (n === 25) p.blink = false;
    else if (n === 27) p.inverse = false;
    else if (n === 28) p.hidden = false;
    else if (n === 29) p.strike = false;
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) p.fg = String(n);
    else if (n === 39) p.fg = '';
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) p.bg = String(n);
    else if (n === 49) p.bg = '';
    else if (n === 38 || n === 48) {
      // 38;5;N or 38;2;R;G;B (and the same for the background)
      const take = xs[i + 1] === '5' ? 2 : xs[i + 1] === '2' ? 4 : 0;
      const colour = xs.slice(i, i + 1 + take).join(';');
      i += take;
      if (n === 38) p.fg = colour;
      else p.bg = colour;
    }
  }
}

// ESC [ params final: SGR when final is 'm'. Anything else starting with ESC makes the line opaque.
// Sticky: matched in place at lastIndex, without cutting a substring per escape.
const CSI = /\x1b\[([0-9;?]*)([@-~])/y;
const segmenter = new Intl.Segmenter();
// Widths of the non-ASCII graphemes seen (box drawing, ellipsis, arrows…): few, and measuring is slow.
const widths = new Map<string, number>();

function widthOf(grapheme: string): number {
  let w = widths.get(grapheme);
  if (w === undefined) {
    if (widths.size >= 4096) widths.clear();
    widths.set(grapheme, (w = stringWidth(grapheme)));
  }
  return w;
}

/** Splits one line of rendered output (text with SGR escapes, no newlines) into cells. */
export function parseLine(line: string): CellLine {
  const chars: string[] = [];
  const styles: string[] = [];
  const pen = plainPen();
  let style = '';
  let opaque = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      CSI.lastIndex = i;
      const m = CSI.exec(line);
      if (m && m[2] === 'm' && !m[1].includes('?')) {
        applySgr(pen, m[1]);
        style = styleKey(pen);
        i += m[0].length;
        continue;
      }
      // Not SGR: keep the line as it is and stop diffing it by cells.
      opaque = true;
      i += m ? m[0].length : 1;
      continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      chars.push(line[i]);
      styles.push(style);
      i++;
      continue;
    }
    // A box-drawing border, `…` or an arrow followed by ASCII (or nothing) is a grapheme of its
    // own: no segmenting, which allocates for every line of every frame.
    const next = i + 1 < line.length ? line.charCodeAt(i + 1) : 0;
    if (next < 0x300 && (c < 0x600 || (c >= 0x2000 && c < 0x2c00))) {
      const ch = line[i];
      const w = widthOf(ch);
      if (w === 0) {
        if (chars.length) chars[chars.length - 1] += ch;
      } else {
        chars.push(ch);
        styles.push(style);
        if (w === 2) {
          chars.push('');
          styles.push(style);
        }
      }
      i++;
      continue;
    }
    // Other non-ASCII: take a whole grapheme up to the next escape and measure it.
    let end = line.indexOf('\x1b', i);
    if (end < 0) end = line.length;
    for (const { segment } of segmenter.segment(line.slice(i, end))) {
      const w = widthOf(segment);
      if (w === 0) {
        if (chars.length) chars[chars.length - 1] += segment;
        continue;
      }
      chars.push(segment);
      styles.push(style);
      if (w === 2) {
        chars.push('');
        styles.push(style);
      }
    }
    i = end;
  }
  return { chars, styles, opaque };
}
