/**
 * Buffers of one size for response bodies, handed back once a socket has written them: a LIST
 * writes megabytes, and on our machines memory not touched before costs ~7 ms a MB the first time.
 * A buffer is given back only from a write's callback, so none is reused while a write holds it;
 * one that is never given back (a connection torn down) is simply collected.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}
