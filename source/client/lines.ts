/** Splits a byte stream into lines (newline-delimited JSON watch events, log lines). */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  /** Emits what is left after the stream ended without a final newline. */
  flush(): void {
    const tail = this.rest + this.decoder.decode();
    this.rest = '';
    if (tail) this.onLine(tail);
  }
}
