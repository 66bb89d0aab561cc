/** Round robin over a list that changes: each call to next() hands out the following entry. */
export class RoundRobin<T> {
  private list_: T[] = [];
  private i = 0;

  set(list: T[]): void {
    this.list_ = list;
    if (this.i >= list.length) this.i = 0;
  }

  /** The current entries (do not modify). */
  list(): readonly T[] {
    return this.list_;
  }

  size(): number {
    return this.list_.length;
  }

  next(): T | undefined {
    if (this.list_.length === 0) return undefined;
    const v = this.list_[this.i % this.list_.length]!;
    this.i = (this.i + 1) % this.list_.length;
    return v;
  }
}
