/** A line diff (longest common subsequence) laid out side by side, like `sdiff`. */

export type DiffRow = { left?: string; right?: string; mark: ' ' | '|' | '<' | '>' };

export function diffLines(a: string[], b: string[]): DiffRow[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: common subsequence length of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  const dels: string[] = [];
  const adds: string[] = [];
  const flush = () => {
    // A run of removed lines next to a run of added ones reads best paired as changes.
    while (dels.length || adds.length) {
      const left = dels.shift();
      const right = adds.shift();
      rows.push({
        left,
        right,
        mark: left !== undefined && right !== undefined ? '|' : left !== undefined ? '<' : '>',
      });
    }
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({ left: a[i], right: b[j], mark: ' ' });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) dels.push(a[i++]);
    else adds.push(b[j++]);
  }
  flush();
  return rows;
}

function fit(s: string, w: number): string {
  return s.length > w ? s.slice(0, Math.max(0, w - 1)) + '…' : s.padEnd(w);
}

/** The rows as text lines `width` wide: left column, mark, right column. */
export function sideBySide(rows: DiffRow[], width: number, titles: [string, string]): string[] {
  const col = Math.max(10, Math.floor((width - 3) / 2));
  const out = [`${fit(titles[0], col)}   ${titles[1]}`, `${'─'.repeat(col)}   ${'─'.repeat(col)}`];
  for (const r of rows) out.push(`${fit(r.left ?? '', col)} ${r.mark} ${r.right ?? ''}`.trimEnd());
  return out;
}
