/**
 * A flat, deduplicated copy of a string (V8 interns property names). `+` and `path.join` build
 * strings as trees of concatenations, 32 bytes a node besides the pieces: a path kept for the life
 * of a pod is ~5× larger as a tree than flat, and equal paths of many pods become one string.
 */
export function flat(s: string): string {
  const o = { [s]: 0 };
  for (const k in o) return k;
  return s;
}
