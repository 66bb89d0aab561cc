/** Round robin over a list that changes: each call to next() hands out the following entry. */
export class RoundRobin<T> {
  private list: T[] = [];
  private i = 0;

  set(list: T[]): void {
    this.list = list;
    if (this.i >= list.length) this.i = 0;
  }

  size(): number {
    return this.list.length;
  }

  next(): T | undefined {
    if (this.list.length === 0) return undefined;
    const v = this.list[this.i % this.list.length]!;
    this.i = (this.i + 1) % this.list.length;
    return v;
  }
}
