import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopbackV4 as isLoopback } from './services/cidr.ts';
import type { EngineConfig, NodeConfig } from './context.ts';
import { readYamlFile } from './yaml-file.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/** Read the cluster topology: `$SKIFF_HOME/cluster.yaml` if present, else the bundled one. */
export function loadTopology(
  home: string,
): Pick<EngineConfig, 'nodes' | 'serviceCIDR' | 'nodePortRange' | 'loadBalancerCIDR'> {
  const own = join(home, 'cluster.yaml');
  const file = existsSync(own) ? own : join(FIXTURES, 'cluster.yaml');
  const doc = readYamlFile(file);
  const nodes = (doc.nodes ?? []) as NodeConfig[];
  if (!nodes.length) throw new Error(`${file}: no nodes`);
  for (const n of nodes) {
    if (!isLoopback(n.ip)) throw new Error(`${file}: node ${n.name} has ip ${n.ip}, outside 127.0.0.0/8`);
    if (!isLoopback(n.podCIDR.split('/')[0]!))
      throw new Error(`${file}: node ${n.name} podCIDR ${n.podCIDR} is outside 127.0.0.0/8`);
  }
  const cidr = String(doc.serviceCIDR ?? '127.96.0.0/16');
  if (!isLoopback(cidr.split('/')[0]!)) throw new Error(`${file}: serviceCIDR ${cidr} is outside 127.0.0.0/8`);
  const [lo, hi] = String(doc.nodePortRange ?? '30000-32767')
    .split('-')
    .map(Number);
  const lb = String(doc.loadBalancerCIDR ?? '127.200.0.0/24');
  if (!isLoopback(lb.split('/')[0]!)) throw new Error(`${file}: loadBalancerCIDR ${lb} is outside 127.0.0.0/8`);
  return { nodes, serviceCIDR: cidr, nodePortRange: [lo!, hi!], loadBalancerCIDR: lb };
}
