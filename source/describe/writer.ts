import { TabWriter } from './tabwriter.ts';

// kubectl's PrefixWriter: each level indents by two spaces; output is escaped like
// cli-runtime's WriteEscaped (ESC → "^[", CR → "\r") so no terminal codes get through.
export class PrefixWriter {
  private tw = new TabWriter();

  write(level: number, text: string): void {
    this.tw.write(escapeTerminal('  '.repeat(level) + text));
  }

  /** fmt.Sprintln: the value plus a newline, no indentation. */
  writeLine(text: string): void {
    this.tw.write(escapeTerminal(text + '\n'));
  }

  flush(): void {
    this.tw.flush();
  }

  /** The finished text, without the final newline. */
  toString(): string {
    return this.tw.toString().replace(/\n$/, '');
  }
}

export function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}
