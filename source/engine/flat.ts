/**
 * A flat, deduplicated copy of a string (V8 interns property names). `+` and `path.join` build
 * strings as trees of concatenations, 32 bytes a node besides the pieces: a path kept for the life
 * of a pod is ~5× larger as a tree than flat, and equal paths of many pods become one string.
 *
 * Storing `s` as a key of a dictionary-mode object interns it: V8 flattens it, puts it in the
 * string table and turns `s` itself into a thin reference to the interned string, which the
 * garbage collector then replaces by the interned string wherever it is held. An object literal
 * with `s` as its key did the same but made a hidden class per distinct key (a transition from the
 * empty literal's): about twice the cost, and one more object per key.
 */
const holder: Record<string, number> = Object.create(null);
// Adding then deleting properties puts the object in dictionary mode (a hash table, no hidden classes).
for (let i = 0; i < 32; i++) holder[`k${i}`] = i;
for (let i = 0; i < 32; i++) delete holder[`k${i}`];

export function flat(s: string): string {
  holder[s] = 0;
  // The key as the holder stores it: the interned string itself. `s` is now a thin string (a
  // reference to it) until the next GC, and V8 builds two-byte strings (two bytes a character)
  // from a thin one: `[s, 'logs'].join('/')` or `path.join(s, …)` made of a pod's paths twice
  // their size.
  for (const key in holder) {
    delete holder[key];
    return key;
  }
  return s;
}
