const KUBE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY: Record<string, number> = { alpha: 0, beta: 1, '': 2 };

/**
 * Kubernetes' version priority (CompareKubeAwareVersionStrings): GA before beta before alpha,
 * higher numbers first, then other names alphabetically. Negative when `a` comes first.
 */
export function compareVersions(a: string, b: string): number {
  const ma = a.match(KUBE);
  const mb = b.match(KUBE);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const sa = STABILITY[ma[2] ?? '']!;
  const sb = STABILITY[mb[2] ?? '']!;
  if (sa !== sb) return sb - sa;
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
