// A SKIFF_HOME for scale benchmarks and probes: the default topology with room for many pods.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/**
 * A fresh SKIFF_HOME (named `prefix…` in the temporary directory) whose cluster.yaml gives each
 * worker `podsPerWorker` pods and pod CIDRs wide enough for them, and a service range of its own,
 * so that the engine's proxy never collides with a running cluster's.
 */
export function scaleHome(podsPerWorker: number, prefix: string): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  let yaml = readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8');
  yaml = yaml.replace(/127\.244\.1\.0\/24/, '127.244.4.0/22').replace(/127\.244\.2\.0\/24/, '127.244.8.0/22');
  yaml = yaml.replace(/(role: worker[\s\S]*?pods: )"110"/g, `$1"${podsPerWorker}"`);
  yaml = yaml.replace(/serviceCIDR: \S+/, `serviceCIDR: 127.${160 + Math.floor(Math.random() * 40)}.0.0/16`);
  writeFileSync(join(home, 'cluster.yaml'), yaml);
  return home;
}
