/**
 * A scope of several namespaces is kept where one namespace name would be, as `a,b` (what
 * `-n a,b` and `:pods a,b` take): views, favourites and the header carry it unchanged.
 */
export function namespaceSet(ns: string | null | undefined): string[] | undefined {
  if (!ns || !ns.includes(',')) return undefined;
  const names = [
    ...new Set(
      ns
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  return names.length > 1 ? names : undefined;
}

/** The scope string for a set of namespaces (sorted, so the same set is the same favourite). */
export function joinNamespaces(names: Iterable<string>): string {
  return [...new Set(names)].sort().join(',');
}
