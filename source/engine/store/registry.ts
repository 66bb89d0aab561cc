import { resourceKey, type ResourceDef } from '../resources/types.ts';

/** Every resource kind the engine serves, found by storage key, group+plural or apiVersion+kind. */
export class Registry {
  private byKey = new Map<string, ResourceDef>();
  private byGvk = new Map<string, ResourceDef>();

  constructor(defs: ResourceDef[] = []) {
    defs.forEach((d) => this.add(d));
  }

  add(def: ResourceDef): void {
    this.byKey.set(resourceKey(def), def);
    this.byGvk.set(`${def.group}/${def.version}/${def.kind}`, def);
  }

  get(key: string): ResourceDef | undefined {
    return this.byKey.get(key);
  }

  require(key: string): ResourceDef {
    const d = this.byKey.get(key);
    if (!d) throw new Error(`unknown resource ${key}`);
    return d;
  }

  byPlural(group: string, version: string, plural: string): ResourceDef | undefined {
    const d = this.byKey.get(group ? `${plural}.${group}` : plural);
    return d && d.version === version ? d : undefined;
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.byGvk.get(`${group}/${version}/${kind}`);
  }

  all(): ResourceDef[] {
    return [...this.byKey.values()];
  }
}
