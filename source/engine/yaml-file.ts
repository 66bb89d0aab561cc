import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const WIDE = /[^\x00-\xff]/;

/**
 * The document of a YAML file. For the bundled fixtures the build lays a JSON copy beside each
 * (`images.yaml.json`, scripts/build.mjs), read instead: parsing the YAML took a tenth of a cold
 * start. Files anywhere else (`$SKIFF_HOME/cluster.yaml`) are always read as YAML.
 */
export function readYamlFile(path: string): Record<string, unknown> {
  const twin = `${path}.json`;
  let doc: unknown;
  if (dirname(resolve(path)) === resolve(FIXTURES) && existsSync(twin)) doc = JSON.parse(readFileSync(twin, 'utf8'));
  else {
    const text = readFileSync(path, 'utf8');
    doc = WIDE.test(text) ? oneByte(parse(text)) : parse(text);
  }
  return doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
}

/**
 * The document with every string that fits in Latin-1 held one byte per character. A file with
 * one wider character (a `→` in a comment) is read as a two-byte string and the parser's
 * strings are slices of it: an image's `imageID` then made `JSON.stringify` of every running
 * pod build its text two bytes per character and copy it down again (stored-json.ts `narrow`).
 */
function oneByte(v: unknown): unknown {
  if (typeof v === 'string') return WIDE.test(v) ? v : Buffer.from(v, 'latin1').toString('latin1');
  if (Array.isArray(v)) return v.map(oneByte);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [oneByte(k), oneByte(x)]));
}
