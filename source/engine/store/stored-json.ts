import type { KObject } from '../../api-types/index.ts';

/**
 * The JSON text of each stored object's current version, made once when it is written (the
 * database needs it anyway): LIST and watch send it instead of serializing the object again, so
 * the first LIST after a burst of writes costs what later ones do. Go's encoder escapes <, >, &
 * and U+2028/9, so the text is escaped that way here (it parses back the same).
 *
 * Events are not kept: they are most of the writes and rarely listed in bulk (upstream's
 * apiserver long kept no watch cache for them either); theirs is made when asked for.
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

const WIDE = /[^\x00-\xff]/;

/**
 * The text in one byte per character when it fits. JSON.stringify writes two bytes per character
 * for the whole text if any string in the object is held that way (V8 keeps a string two-byte
 * when its source was: a file or a module with one non-Latin-1 character): twice the memory kept.
 * Still needed with the catalog read one-byte (yaml-file.ts): without it the built engine held
 * 204 instead of 178 MiB at 4,000 running pods (bench/mem-probe.ts, side by side).
 */
function narrow(text: string): string {
  return WIDE.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

/** Serialize a stored version (`keep`: remember the text while it is the current one). */
export function storedText(o: KObject, keep: boolean): string {
  if (!keep) return serialize(o);
  const text = narrow(serialize(o));
  texts.set(o, text);
  return text;
}

/** Remember `text` (read from the database) as the JSON of `o`. */
export function rememberText(o: KObject, text: string): void {
  texts.set(o, narrow(escapeHtml(text)));
}

/** `o` is no longer the current version: its text goes. */
export function forgetText(o: KObject): void {
  texts.delete(o);
}
