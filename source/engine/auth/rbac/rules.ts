import type { Attributes } from '../request-info.ts';

/** An RBAC PolicyRule (rbac.authorization.k8s.io/v1). */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource))
      return true;
  }
  return false;
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** Whether one rule allows the request (upstream's RuleAllows). */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) return nonResourceURLMatches(rule, a.path);
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (!has(rule.apiGroups, a.apiGroup) || !resourceMatches(rule, combined, a.subresource)) return false;
  const names = rule.resourceNames;
  return !names?.length || names.includes(a.name);
}

/** Split a rule into one rule per verb × group × resource (× name), as upstream's BreakdownRule. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of rule.apiGroups ?? []) {
    for (const r of rule.resources ?? []) {
      for (const v of rule.verbs) {
        if (rule.resourceNames?.length)
          for (const n of rule.resourceNames)
            out.push({ apiGroups: [g], resources: [r], verbs: [v], resourceNames: [n] });
        else out.push({ apiGroups: [g], resources: [r], verbs: [v] });
      }
    }
  }
  for (const u of rule.nonResourceURLs ?? [])
    for (const v of rule.verbs) out.push({ nonResourceURLs: [u], verbs: [v] });
  return out;
}

/** Whether `owner` covers one broken-down rule (upstream's ruleCovers). */
function covers(owner: PolicyRule, r: PolicyRule): boolean {
  const verbs = r.verbs.every((v) => has(owner.verbs, v));
  if (!verbs) return false;
  if (r.nonResourceURLs?.length) {
    return r.nonResourceURLs.every((u) =>
      (owner.nonResourceURLs ?? []).some(
        (o) => o === '*' || o === u || (o.endsWith('*') && u.startsWith(o.slice(0, -1))),
      ),
    );
  }
  if (!(r.apiGroups ?? []).every((g) => has(owner.apiGroups, g))) return false;
  const resources = (r.resources ?? []).every((res) => {
    for (const o of owner.resources ?? []) {
      if (o === '*' || o === res) return true;
      // `x/*` covers every subresource of x; `*/s` a subresource of anything.
      if (o.endsWith('/*') && res.startsWith(o.slice(0, -1))) return true;
      if (o.startsWith('*/') && res.includes('/') && res.endsWith(o.slice(1))) return true;
    }
    return false;
  });
  if (!resources) return false;
  if (!owner.resourceNames?.length) return true;
  return !!r.resourceNames?.length && r.resourceNames.every((n) => owner.resourceNames!.includes(n));
}

/** The parts of `wanted` that `owned` does not cover (empty = no escalation). */
export function uncoveredRules(owned: PolicyRule[], wanted: PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const w of wanted)
    for (const piece of breakdownRule(w)) if (!owned.some((o) => covers(o, piece))) missing.push(piece);
  return missing;
}

/** Upstream's PolicyRule.CompactString: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function compactRule(r: PolicyRule): string {
  const q = (l: string[]) => `[${l.map((s) => JSON.stringify(s)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
