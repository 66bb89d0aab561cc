// Not part of `npm run bench`: what a V8 heap snapshot holds, for finding where memory goes.
// `node --max-old-space-size=8000 --import tsx bench/heap-summary.ts FILE.heapsnapshot [MIN_MB]`
// prints the live heap by node type and by constructor, the dominator tree down to subtrees of
// MIN_MB (default 1) with the edges that reach them, the most duplicated strings, who holds
// strings (by the retaining object and property), and HEAP_GROUPS="A,B;C" what each group of
// constructors keeps alive together (the heap that would go if they went).
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: heap-summary.ts FILE.heapsnapshot [MIN_MB]');
const minBytes = Number(process.argv[3] ?? 1) * 1e6;
const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const { meta } = s.snapshot;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const nType = meta.node_fields.indexOf('type');
const nName = meta.node_fields.indexOf('name');
const nSize = meta.node_fields.indexOf('self_size');
const nEdges = meta.node_fields.indexOf('edge_count');
const eType = meta.edge_fields.indexOf('type');
const eName = meta.edge_fields.indexOf('name_or_index');
const eTo = meta.edge_fields.indexOf('to_node');
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const WEAK = edgeTypes.indexOf('weak');
const N = s.nodes.length / NF;

const type = (i: number) => nodeTypes[s.nodes[i * NF + nType]!]!;
const name = (i: number) => s.strings[s.nodes[i * NF + nName]!]!;
const size = (i: number) => s.nodes[i * NF + nSize]!;
const first = new Uint32Array(N + 1);
for (let i = 0; i < N; i++) first[i + 1] = first[i]! + s.nodes[i * NF + nEdges]! * EF;
const edgeName = (e: number) => {
  const t = edgeTypes[s.edges[e + eType]!];
  const v = s.edges[e + eName]!;
  return t === 'element' || t === 'hidden' ? `[${v}]` : s.strings[v]!;
};

const mb = (b: number) => (b / 1e6).toFixed(2).padStart(8);
let total = 0;
const byType = new Map<string, [number, number]>();
const byName = new Map<string, [number, number]>();
const strings = new Map<string, [number, number]>();
for (let i = 0; i < N; i++) {
  const t = type(i);
  total += size(i);
  const a = byType.get(t) ?? [0, 0];
  a[0] += size(i);
  a[1]++;
  byType.set(t, a);
  if (t === 'object' || t === 'closure' || t === 'array') {
    const k = `${t} ${name(i)}`;
    const b = byName.get(k) ?? [0, 0];
    b[0] += size(i);
    b[1]++;
    byName.set(k, b);
  }
  if (t === 'string' || t === 'concatenated string' || t === 'sliced string') {
    const c = strings.get(name(i)) ?? [0, 0];
    c[0] += size(i);
    c[1]++;
    strings.set(name(i), c);
  }
}
const top = (m: Map<string, [number, number]>, n: number, by = (v: [number, number]) => v[0]) =>
  [...m].sort((a, b) => by(b[1]) - by(a[1])).slice(0, n);
console.log(`${file}: ${N} nodes, ${mb(total)} MB\n\nby type (MB, count):`);
for (const [k, [b, c]] of top(byType, 20)) console.log(`${mb(b)} ${String(c).padStart(9)}  ${k}`);
console.log('\nby constructor (MB, count):');
for (const [k, [b, c]] of top(byName, 30)) console.log(`${mb(b)} ${String(c).padStart(9)}  ${k.slice(0, 100)}`);
console.log('\nduplicated strings (MB of copies beyond the first, copies):');
for (const [k, [b, c]] of top(strings, 30, ([b, c]) => (b / c) * (c - 1)))
  console.log(`${mb((b / c) * (c - 1))} ${String(c).padStart(9)}  ${JSON.stringify(k.slice(0, 90))}`);

// Dominators (Cooper, Harvey, Kennedy), over strong edges from the root (node 0).
const post = new Int32Array(N).fill(-1); // postorder number
const order: number[] = []; // nodes in postorder
{
  const stack: number[] = [0];
  const next = new Uint32Array(N);
  const seen = new Uint8Array(N);
  seen[0] = 1;
  for (let i = 0; i < N; i++) next[i] = first[i]!;
  while (stack.length) {
    const v = stack[stack.length - 1]!;
    let pushed = false;
    while (next[v]! < first[v + 1]!) {
      const e = next[v]!;
      next[v] = e + EF;
      if (s.edges[e + eType] === WEAK) continue;
      const w = s.edges[e + eTo]! / NF;
      if (seen[w]) continue;
      seen[w] = 1;
      stack.push(w);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      post[v] = order.length;
      order.push(v);
    }
  }
}
const predCount = new Uint32Array(N + 1);
for (let v = 0; v < N; v++)
  for (let e = first[v]!; e < first[v + 1]!; e += EF)
    if (s.edges[e + eType] !== WEAK) predCount[s.edges[e + eTo]! / NF + 1]!++;
for (let i = 0; i < N; i++) predCount[i + 1]! += predCount[i]!;
const preds = new Uint32Array(predCount[N]!);
const predEdges = new Uint32Array(predCount[N]!);
{
  const fill = predCount.slice();
  for (let v = 0; v < N; v++)
    for (let e = first[v]!; e < first[v + 1]!; e += EF)
      if (s.edges[e + eType] !== WEAK) {
        const at = fill[s.edges[e + eTo]! / NF]!++;
        preds[at] = v;
        predEdges[at] = e;
      }
}

// Who holds strings: bytes by the retaining object's constructor and property (each retainer counted).
const holders = (types: string[]) => {
  const m = new Map<string, [number, number]>();
  for (let v = 0; v < N; v++) {
    if (!types.includes(type(v))) continue;
    for (let p = predCount[v]!; p < predCount[v + 1]!; p++) {
      const u = preds[p]!;
      const k = `${type(u)} ${name(u).slice(0, 40)} .${edgeName(predEdges[p]!).slice(0, 40)}`;
      const a = m.get(k) ?? [0, 0];
      a[0] += size(v);
      a[1]++;
      m.set(k, a);
    }
  }
  return m;
};
for (const types of [['concatenated string'], ['sliced string'], ['string']]) {
  console.log(`\nheld by (MB, count) for ${types.join(', ')}:`);
  for (const [k, [b, c]] of top(holders(types), 25)) console.log(`${mb(b)} ${String(c).padStart(9)}  ${k}`);
}

// Trees of concatenated strings, by who holds their top (the bytes of the whole tree).
{
  const CONS = 'concatenated string';
  const m = new Map<string, [number, number]>();
  for (let v = 0; v < N; v++) {
    if (type(v) !== CONS) continue;
    let holder = '';
    let top = true;
    for (let p = predCount[v]!; p < predCount[v + 1]!; p++) {
      const u = preds[p]!;
      if (type(u) === CONS) top = false;
      else holder ||= `${type(u)} ${name(u).slice(0, 40)} .${edgeName(predEdges[p]!).slice(0, 40)}`;
    }
    if (!top) continue;
    let bytes = 0;
    const stack = [v];
    while (stack.length) {
      const w = stack.pop()!;
      bytes += size(w);
      if (type(w) !== CONS && type(w) !== 'sliced string') continue;
      for (let e = first[w]!; e < first[w + 1]!; e += EF) stack.push(s.edges[e + eTo]! / NF);
    }
    const a = m.get(holder) ?? [0, 0];
    a[0] += bytes;
    a[1]++;
    m.set(holder, a);
  }
  console.log('\nconcatenated strings by who holds the whole string (MB with its parts, count):');
  for (const [k, [b, c]] of top(m, 30)) console.log(`${mb(b)} ${String(c).padStart(9)}  ${k}`);
}

// What a group of constructors keeps alive: the nodes no longer reachable from the root without them.
const reachable = (blocked: (v: number) => boolean) => {
  const seen = new Uint8Array(N);
  const stack = [0];
  seen[0] = 1;
  let bytes = 0;
  while (stack.length) {
    const v = stack.pop()!;
    bytes += size(v);
    for (let e = first[v]!; e < first[v + 1]!; e += EF) {
      if (s.edges[e + eType] === WEAK) continue;
      const w = s.edges[e + eTo]! / NF;
      if (seen[w] || blocked(w)) continue;
      seen[w] = 1;
      stack.push(w);
    }
  }
  return bytes;
};
const all = reachable(() => false);
for (const group of (process.env.HEAP_GROUPS ?? '').split(';').filter(Boolean)) {
  const names = new Set(group.split(','));
  const kept = all - reachable((v) => names.has(name(v)) && (type(v) === 'object' || type(v) === 'closure'));
  const from: number[] = [];
  for (let v = 0; v < N; v++) if (names.has(name(v)) && (type(v) === 'object' || type(v) === 'closure')) from.push(v);
  const seen = new Uint8Array(N);
  let reach = 0;
  for (const v of from) seen[v] = 1;
  while (from.length) {
    const v = from.pop()!;
    reach += size(v);
    for (let e = first[v]!; e < first[v + 1]!; e += EF) {
      const w = s.edges[e + eTo]! / NF;
      if (
        s.edges[e + eType] !== WEAK &&
        !seen[w] &&
        type(w) !== 'code' &&
        type(w) !== 'closure' &&
        name(w) !== 'system / Context'
      ) {
        seen[w] = 1;
        from.push(w);
      }
    }
  }
  console.log(`group ${group}: keeps ${mb(kept)} MB alive, reaches ${mb(reach)} MB (data only)`);
}
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a: number, b: number) => {
  while (a !== b) {
    while (post[a]! < post[b]!) a = idom[a]!;
    while (post[b]! < post[a]!) b = idom[b]!;
  }
  return a;
};
for (let changed = true; changed;) {
  changed = false;
  for (let k = order.length - 2; k >= 0; k--) {
    const v = order[k]!;
    let d = -1;
    for (let p = predCount[v]!; p < predCount[v + 1]!; p++) {
      const u = preds[p]!;
      if (post[u]! < 0 || idom[u]! < 0) continue;
      d = d < 0 ? u : intersect(u, d);
    }
    if (d >= 0 && idom[v] !== d) {
      idom[v] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(N);
for (const v of order) {
  retained[v]! += size(v);
  if (v !== 0) retained[idom[v]!]! += retained[v]!;
}
const children = new Map<number, number[]>();
for (const v of order) {
  if (v === 0 || retained[v]! < minBytes) continue;
  const list = children.get(idom[v]!) ?? [];
  list.push(v);
  children.set(idom[v]!, list);
}
const via = (from: number, to: number) => {
  for (let e = first[from]!; e < first[from + 1]!; e += EF) if (s.edges[e + eTo]! / NF === to) return edgeName(e);
  return '~';
};
console.log(`\ndominator tree (retained MB, self MB), subtrees of ${minBytes / 1e6} MB or more:`);
const print = (v: number, depth: number) => {
  const kids = (children.get(v) ?? []).sort((a, b) => retained[b]! - retained[a]!);
  for (const w of kids) {
    const label = `${via(v, w)} → ${type(w)} ${name(w).slice(0, 60)}`;
    console.log(`${mb(retained[w]!)} ${mb(size(w))} ${'  '.repeat(depth)}${label}`);
    if (depth < 14) print(w, depth + 1);
  }
};
print(0, 0);
