/**
 * Generates source/engine/api/openapi/definitions.json, the engine's schema catalogue for
 * OpenAPI: every type of upstream's API (from the `kubernetes-types` package, which is generated
 * from upstream's published OpenAPI spec) with its fields, types, required fields and
 * descriptions, named as the apiserver names definitions (`io.k8s.api.apps.v1.Deployment`).
 * List and map extensions are added at run time from the engine's own tables.
 *
 *   npx tsx scripts/gen-openapi-definitions.ts
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', 'node_modules', 'kubernetes-types');
const OUT = join(import.meta.dirname, '..', 'source', 'engine', 'api', 'openapi', 'definitions.json');

type Json = Record<string, unknown>;

/** `apps/v1` → `io.k8s.api.apps.v1`. */
function packageOf(module: string): string {
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (module === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.${module.replace('/', '.')}`;
  return `io.k8s.api.${module.replace('/', '.')}`;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.d.ts') ? [p] : [];
  });
}

function docOf(node: ts.Node, sf: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => sf.text.startsWith('/**', r.pos)).pop();
  if (!last) return undefined;
  return sf.text
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const definitions: Record<string, Json> = {
  [INT_OR_STRING]: {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  },
};

for (const file of files(ROOT)) {
  const module = relative(ROOT, file).replace(/\.d\.ts$/, '');
  const pkg = packageOf(module);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  for (const st of sf.statements) {
    if (
      ts.isImportDeclaration(st) &&
      st.importClause?.namedBindings &&
      ts.isNamedImports(st.importClause.namedBindings)
    ) {
      const mod = relative(ROOT, join(ROOT, module, '..', (st.moduleSpecifier as ts.StringLiteral).text));
      for (const el of st.importClause.namedBindings.elements)
        imports.set(el.name.text, `${packageOf(mod)}.${el.name.text}`);
    }
  }
  const ref = (name: string) => ({ $ref: `#/definitions/${imports.get(name) ?? `${pkg}.${name}`}` });
  const typeSchema = (t: ts.TypeNode): Json => {
    if (ts.isUnionTypeNode(t)) {
      const kinds = t.types.map((x) => x.getText(sf));
      if (kinds.includes('number') && kinds.includes('string')) return { $ref: `#/definitions/${INT_OR_STRING}` };
      return typeSchema(t.types[0]!);
    }
    if (ts.isLiteralTypeNode(t)) return { type: 'string' };
    if (ts.isArrayTypeNode(t)) return { type: 'array', items: typeSchema(t.elementType) };
    if (ts.isTypeReferenceNode(t)) {
      const n = t.typeName.getText(sf);
      if (n === 'Array' && t.typeArguments?.[0]) return { type: 'array', items: typeSchema(t.typeArguments[0]) };
      return ref(n);
    }
    if (ts.isTypeLiteralNode(t)) {
      const idx = t.members.find(ts.isIndexSignatureDeclaration);
      if (idx) return { type: 'object', additionalProperties: typeSchema(idx.type) };
      return { type: 'object' };
    }
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'integer', format: 'int32' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      default:
        return { type: 'object' };
    }
  };
  for (const st of sf.statements) {
    if (ts.isTypeAliasDeclaration(st)) {
      const name = `${pkg}.${st.name.text}`;
      const s = typeSchema(st.type);
      if (st.name.text === 'Time' || st.name.text === 'MicroTime')
        Object.assign(s, { type: 'string', format: 'date-time' });
      definitions[name] = { ...(docOf(st, sf) ? { description: docOf(st, sf) } : {}), ...s };
    }
    if (!ts.isInterfaceDeclaration(st)) continue;
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    let group: string | undefined;
    let version: string | undefined;
    let kind: string | undefined;
    for (const m of st.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const key = m.name.getText(sf).replace(/^"|"$/g, '');
      const desc = docOf(m, sf);
      const s = typeSchema(m.type);
      properties[key] = desc ? { description: desc, ...s } : s;
      if (!m.questionToken) required.push(key);
      if (ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
        if (key === 'apiVersion')
          [group, version] = m.type.literal.text.includes('/')
            ? m.type.literal.text.split('/')
            : ['', m.type.literal.text];
        if (key === 'kind') kind = m.type.literal.text;
      }
    }
    const def: Json = { type: 'object' };
    const desc = docOf(st, sf);
    if (desc) def.description = desc;
    def.properties = properties;
    if (required.length) def.required = required.sort();
    if (kind && version !== undefined) def['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    definitions[`${pkg}.${st.name.text}`] = def;
  }
}

const sorted = Object.fromEntries(
  Object.keys(definitions)
    .sort()
    .map((k) => [k, definitions[k]]),
);
writeFileSync(
  OUT,
  JSON.stringify({ source: 'kubernetes-types 1.30 (generated from upstream OpenAPI)', definitions: sorted }) + '\n',
);
console.log(`${Object.keys(sorted).length} definitions → ${OUT}`);
