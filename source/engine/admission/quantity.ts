import { milliCPU, units } from '../scheduler/resources.ts';

/** A resource amount in its counting unit: millicores for cpu, whole units (bytes) otherwise. */
export function amountOf(resource: string, q: unknown): number {
  return resource === 'cpu' || resource.endsWith('.cpu') ? milliCPU(q) : units(q);
}

/** An amount as the apiserver prints a Quantity: `500m`, `2`, `128Mi`, `1Gi`, `3`. */
export function formatAmount(resource: string, n: number): string {
  if (resource === 'cpu' || resource.endsWith('.cpu')) return n % 1000 === 0 ? String(n / 1000) : `${n}m`;
  if (/memory|storage/.test(resource) && n > 0) {
    for (const [suffix, size] of [
      ['Ei', 2 ** 60],
      ['Pi', 2 ** 50],
      ['Ti', 2 ** 40],
      ['Gi', 2 ** 30],
      ['Mi', 2 ** 20],
      ['Ki', 2 ** 10],
    ] as const) {
      if (n % size === 0) return `${n / size}${suffix}`;
    }
  }
  return String(n);
}
