/**
 * One copy of each repeated table cell per column ("Running", "1/1", a node's name, "<none>"):
 * JSON.parse makes a new string for every occurrence, 50,000 rows times a dozen cells. A column
 * whose values are mostly distinct (names, IPs) stops being interned once it has seen `limit`
 * different values, so the pool never grows with the rows.
 */
export class CellInterner {
  private readonly columns: Array<Map<string, string> | null> = [];

  constructor(
    private readonly limit = 2000,
    private readonly maxLength = 64,
  ) {}

  intern(column: number, s: string): string {
    if (s.length > this.maxLength) return s;
    let pool = this.columns[column];
    if (pool === null) return s;
    if (pool === undefined) this.columns[column] = pool = new Map();
    const known = pool.get(s);
    if (known !== undefined) return known;
    if (pool.size >= this.limit) {
      this.columns[column] = null; // mostly distinct: stop paying for the pool
      return s;
    }
    pool.set(s, s);
    return s;
  }
}

/**
 * One shared, frozen copy of each small value that many rows hold alike: a pod's label set (the
 * pods of a ReplicaSet carry the same labels), its summed requests and limits. Keyed by a string
 * the caller builds from the value; past `limit` different keys new values are returned as they
 * are (and frozen), so the pool never grows with the rows.
 */
export class ValueInterner<T extends object> {
  private readonly pool = new Map<string, Readonly<T>>();

  constructor(private readonly limit = 2000) {}

  intern(key: string, value: T): Readonly<T> {
    const known = this.pool.get(key);
    if (known !== undefined) return known;
    const frozen = Object.freeze(value);
    if (this.pool.size < this.limit) this.pool.set(key, frozen);
    return frozen;
  }
}
