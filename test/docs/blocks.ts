/**
 * The shell blocks of a walkthrough, as the walkthrough test runs them.
 *
 * Conventions (documented at the top of docs/walkthrough.md):
 * - A fenced block whose info string starts with `sh` is a shell block. It runs, in order, in
 *   bash with `set -eo pipefail`, unless its info string also says `no-test` (interactive or
 *   never-ending commands: `exec -it`, `logs -f`, `get -w`, starting the TUI).
 * - `root` in the info string marks a block that needs ports below 1024 (a ClusterIP on port 81):
 *   it runs only where the engine can bind them (root, or net.ipv4.ip_unprivileged_port_start
 *   low enough), and is skipped, saying so, elsewhere.
 * - Shell variables and the working directory carry over from one block to the next, as they
 *   do when a reader pastes the blocks into one terminal.
 * - `<!-- expect: REGEX -->` on its own line right after a block (blank lines allowed) asks that
 *   the block's output (stdout and stderr) match the JavaScript regular expression REGEX
 *   (multiline flag). It is an HTML comment, so readers never see it.
 * - Full-line `#` comments inside a block are prose: they may be translated, and they are left
 *   out when two walkthroughs are compared.
 */

export interface ShellBlock {
  /** The code between the fences, without a trailing newline. */
  code: string;
  /** Words after `sh` in the info string (`no-test`, …). */
  flags: string[];
  /** Whether the walkthrough test runs it. */
  runnable: boolean;
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above the block. */
  heading: string;
  /** Regular expressions (source) the output must match. */
  expect: string[];
}

const FENCE = /^(\s{0,3})(`{3,}|~{3,})(.*)$/;
const EXPECT = /^<!--\s*expect:\s*(.*?)\s*-->\s*$/;

/** Every `sh` block of a Markdown document, in order. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split(/\r?\n/);
  const out: ShellBlock[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      heading = h[1]!;
      continue;
    }
    const open = FENCE.exec(line);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    const start = i;
    i++;
    while (i < lines.length) {
      const close = FENCE.exec(lines[i]!);
      if (close && close[2]![0] === fence[0] && close[2]!.length >= fence.length && !close[3]!.trim()) break;
      body.push(lines[i]!);
      i++;
    }
    if (info[0] !== 'sh') continue;
    const flags = info.slice(1);
    const expect: string[] = [];
    let j = i + 1;
    while (j < lines.length) {
      const l = lines[j]!;
      const m = EXPECT.exec(l.trim());
      if (m) expect.push(m[1]!);
      else if (l.trim()) break;
      j++;
    }
    out.push({ code: body.join('\n'), flags, runnable: !flags.includes('no-test'), line: start + 1, heading, expect });
  }
  return out;
}

/** A block's commands without its full-line comments and blank lines: what must not drift. */
export function commandsOf(block: ShellBlock): string {
  return block.code
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .join('\n');
}

/** A one-line summary of a block for test names. */
export function blockTitle(block: ShellBlock, index: number): string {
  const first = commandsOf(block).split('\n')[0] ?? '';
  const cmd = first.length > 70 ? `${first.slice(0, 67)}...` : first;
  return `block ${index + 1} (line ${block.line}, ${block.heading}): ${cmd}`;
}
