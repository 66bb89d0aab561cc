// A port of the subset of Go's text/tabwriter that kubectl describe uses:
// tabwriter.NewWriter(out, minwidth 0, tabwidth 8, padding 2, padchar ' ', flags 0).
// Cells are tab-terminated; the text after a line's last tab is not part of any column.
// A column block is a run of consecutive lines that all have a cell in that column.

const PADDING = 2;

function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class TabWriter {
  private pending = '';
  private out = '';

  write(text: string): void {
    this.pending += text;
  }

  /** Ends all column blocks (Go's Flush). */
  flush(): void {
    if (this.pending === '') return;
    this.out += formatTabbed(this.pending);
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.out;
  }
}

export function formatTabbed(text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const rendered: string[] = [];
  format(lines, [], 0, lines.length, rendered);
  return rendered.join('\n');
}

function format(lines: string[][], widths: number[], line0: number, line1: number, out: string[]): void {
  const column = widths.length;
  for (let i = line0; i < line1; i++) {
    if (column >= lines[i].length - 1) continue;
    writeLines(lines, widths, line0, i, out);
    line0 = i;
    let w = 0;
    for (; i < line1; i++) {
      if (column >= lines[i].length - 1) break;
      w = Math.max(w, width(lines[i][column]) + PADDING);
    }
    widths.push(w);
    format(lines, widths, line0, i, out);
    widths.pop();
    line0 = i;
  }
  writeLines(lines, widths, line0, line1, out);
}

function writeLines(lines: string[][], widths: number[], line0: number, line1: number, out: string[]): void {
  for (let i = line0; i < line1; i++) {
    let s = '';
    lines[i].forEach((cell, j) => {
      s += cell;
      if (j < widths.length) s += ' '.repeat(widths[j] - width(cell));
    });
    out.push(s);
  }
}
