import type { ResourceDef } from '../../resources/types.ts';
import { closure, definitionOf, definitions, type Schema } from './catalogue.ts';

/** The definition name of a served kind: the catalogue's, or `com.example.stable.v1.CronTab` for a custom one. */
export function definitionName(d: ResourceDef): string | undefined {
  if (d.openapi) return `${d.group.split('.').reverse().join('.')}.${d.version}.${d.kind}`;
  return definitionOf(d.group, d.version, d.kind);
}

/** The definitions the given kinds need, custom kinds' schemas included. */
export function definitionsFor(defs: ResourceDef[]): Record<string, Schema> {
  const all = definitions();
  const roots: string[] = [];
  const custom: Record<string, Schema> = {};
  for (const d of defs) {
    const name = definitionName(d);
    if (!name) continue;
    if (d.openapi) {
      custom[name] = {
        ...(d.openapi() as Schema),
        'x-kubernetes-group-version-kind': [{ group: d.group, kind: d.kind, version: d.version }],
      };
      roots.push('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    } else roots.push(name);
  }
  return { ...closure(roots, all), ...custom };
}
