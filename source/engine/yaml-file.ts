import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/**
 * The document of a YAML file. For the bundled fixtures the build lays a JSON copy beside each
 * (`images.yaml.json`, scripts/build.mjs), read instead: parsing the YAML took a tenth of a cold
 * start. Files anywhere else (`$SKIFF_HOME/cluster.yaml`) are always read as YAML.
 */
export function readYamlFile(path: string): Record<string, unknown> {
  const twin = `${path}.json`;
  const doc: unknown =
    dirname(resolve(path)) === resolve(FIXTURES) && existsSync(twin)
      ? JSON.parse(readFileSync(twin, 'utf8'))
      : parse(readFileSync(path, 'utf8'));
  return doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
}
