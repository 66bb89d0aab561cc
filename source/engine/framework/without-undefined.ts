/** A copy of `o` without its undefined fields, keys in the same order (a status is compared as JSON). */
export function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
