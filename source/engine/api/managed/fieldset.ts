/**
 * A set of field paths, the way structured-merge-diff records ownership. A path is a list of
 * path elements written as in `FieldsV1`: `f:name` (a field), `k:{"name":"web"}` (an element of a
 * list keyed by its map keys), `v:"value"` (an element of a set), `i:0` (a list index).
 */
export type PathEl = string;
export type Path = readonly PathEl[];

const SEP = '\u0000';

export const pathKey = (p: Path): string => p.join(SEP);

export class FieldSet {
  private readonly paths = new Map<string, Path>();

  static of(paths: Iterable<Path>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.add(p);
    return s;
  }

  add(p: Path): void {
    this.paths.set(pathKey(p), p);
  }

  has(p: Path): boolean {
    return this.paths.has(pathKey(p));
  }

  delete(p: Path): void {
    this.paths.delete(pathKey(p));
  }

  get size(): number {
    return this.paths.size;
  }

  values(): Path[] {
    return [...this.paths.values()];
  }

  union(o: FieldSet): FieldSet {
    const out = FieldSet.of(this.values());
    for (const p of o.values()) out.add(p);
    return out;
  }

  difference(o: FieldSet): FieldSet {
    return FieldSet.of(this.values().filter((p) => !o.has(p)));
  }

  intersection(o: FieldSet): FieldSet {
    return FieldSet.of(this.values().filter((p) => o.has(p)));
  }

  /** Whether some member lies strictly below `p`. */
  hasDescendant(p: Path): boolean {
    const prefix = pathKey(p) + SEP;
    for (const k of this.paths.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  equals(o: FieldSet): boolean {
    return this.size === o.size && this.values().every((p) => o.has(p));
  }

  /** The `fieldsV1` JSON of this set: nested objects, `.` marking a member that has members below it. */
  toFieldsV1(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    const sorted = this.values().sort((a, b) => cmpPath(a, b));
    for (const p of sorted) {
      let node = root;
      for (const el of p) node = (node[el] ??= {}) as Record<string, unknown>;
    }
    for (const p of sorted) {
      let node = root;
      for (const el of p) node = node[el] as Record<string, unknown>;
      if (Object.keys(node).length > 0 && !('.' in node)) {
        // Re-create with `.` first, as the apiserver writes it.
        const children = { ...node };
        for (const k of Object.keys(node)) delete node[k];
        Object.assign(node, { '.': {} }, children);
      }
    }
    return root;
  }

  /** Parse `fieldsV1`; throws on a malformed one. */
  static fromFieldsV1(v: unknown): FieldSet {
    const out = new FieldSet();
    const walk = (node: unknown, path: PathEl[]): void => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) throw new Error('expected an object');
      const keys = Object.keys(node);
      if (path.length && keys.length === 0) out.add(path);
      for (const k of keys) {
        if (k === '.') {
          if (path.length) out.add(path);
          continue;
        }
        if (!/^[fkvi]:/.test(k)) throw new Error(`unknown path element ${JSON.stringify(k)}`);
        walk((node as Record<string, unknown>)[k], [...path, k]);
      }
    };
    walk(v, []);
    return out;
  }
}

function cmpPath(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/** `.spec.template.spec.containers[name="web"].image`, as conflicts name a field. */
export function pathString(p: Path): string {
  return p
    .map((el) => {
      const body = el.slice(2);
      switch (el[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(keys)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
