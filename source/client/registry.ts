import { EXTRA_ALIASES } from './aliases.ts';
import { canList, resourceId, type ResourceInfo } from './resource.ts';

/** Resolves what a user types (`po`, `deploy`, `deployments.apps`, `Pod`) to a resource. */
export class ResourceRegistry {
  private readonly byId = new Map<string, ResourceInfo>();
  private readonly byAlias = new Map<string, ResourceInfo>();

  constructor(readonly resources: ResourceInfo[]) {
    // First registration wins: core first, then groups in the server's order, as kubectl does.
    for (const r of resources) this.byId.set(resourceId(r), r);
    for (const [alias, id] of Object.entries(EXTRA_ALIASES)) {
      const r = this.byId.get(id);
      if (r) this.byAlias.set(alias, r);
    }
    for (const r of resources) {
      const names = [resourceId(r), r.plural, r.singular, r.kind.toLowerCase(), ...r.shortNames];
      if (r.group) names.push(`${r.singular}.${r.group}`);
      for (const n of names) if (n && !this.byAlias.has(n.toLowerCase())) this.byAlias.set(n.toLowerCase(), r);
    }
  }

  get(id: string): ResourceInfo | undefined {
    return this.byId.get(id);
  }

  resolve(name: string): ResourceInfo | undefined {
    return this.byAlias.get(name.toLowerCase());
  }

  /** Names to offer for Tab completion: listable resources' plurals, short names and aliases. */
  completions(): string[] {
    const names = new Set<string>();
    for (const [alias, r] of this.byAlias) {
      if (!canList(r)) continue;
      if (alias.includes('.') && this.byAlias.get(r.plural) === r) continue;
      names.add(alias);
    }
    return [...names].sort();
  }
}
