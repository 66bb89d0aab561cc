import type { KObject } from '../../api-types/index.ts';

/**
 * The JSON text of each stored object's current version, made once when it is written (the
 * database needs it anyway): LIST and watch send it instead of serializing the object again, so
 * the first LIST after a burst of writes costs what later ones do. Go's encoder escapes <, >, &
 * and U+2028/9, so the text is escaped that way here (it parses back the same).
 *
 * Events are not kept: they are most of the writes and rarely listed in bulk (upstream's
 * apiserver long kept no watch cache for them either); theirs is made when asked for.
 *
 * A text is kept as JSON.stringify makes it: one byte per character unless some string in the
 * object is held two bytes per character. String literals and JSON.parse's strings are one-byte
 * when they fit; slices of a file read with a wider character are not, which is why
 * `readYamlFile` copies its strings down (a running pod's text is checked in stored-json.test.ts).
 */
const texts = new WeakMap<KObject, string>();

const HTML = /[<>&\u2028\u2029]/;
const HTML_ALL = /[<>&\u2028\u2029]/g;

/** `text` with <, >, &, U+2028 and U+2029 escaped as Go's encoding/json writes them. */
export function escapeHtml(text: string): string {
  return HTML.test(text) ? text.replace(HTML_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** The object's JSON as the apiserver writes it (without a trailing newline). */
export function serialize(o: KObject): string {
  return texts.get(o) ?? escapeHtml(JSON.stringify(o));
}

/** Serialize a stored version (`keep`: remember the text while it is the current one). */
export function storedText(o: KObject, keep: boolean): string {
  const text = serialize(o);
  if (keep) texts.set(o, text);
  return text;
}

/** Remember `text` (read from the database) as the JSON of `o`. */
export function rememberText(o: KObject, text: string): void {
  texts.set(o, escapeHtml(text));
}

/** `o` is no longer the current version: its text goes. */
export function forgetText(o: KObject): void {
  texts.delete(o);
}
