/** At most `n` tasks at once; the rest wait in order. */
export class Limiter {
  private active = 0;
  private queue: Array<() => void> = [];

  constructor(private n: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
