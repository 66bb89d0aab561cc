/**
 * A push-driven async iterator. Unlike an async generator, `return()` ends it at once even while
 * a consumer awaits the next value, so an abandoned follower never hangs on an idle log.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  private waiters: ((r: IteratorResult<T>) => void)[] = [];
  private ended = false;
  private onEnd: (() => void)[] = [];

  push(value: T): void {
    if (this.ended) return;
    const w = this.waiters.shift();
    if (w) w({ value, done: false });
    else this.queue.push(value);
  }

  /** No more values; those queued are still delivered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
    for (const fn of this.onEnd.splice(0)) fn();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Run `fn` when the channel ends, whoever ends it. */
  finally(fn: () => void): void {
    if (this.ended) fn();
    else this.onEnd.push(fn);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.queue = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
