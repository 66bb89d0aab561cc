import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** A problem found in a user file: shown in the TUI as `file:line: message`. */
export interface Issue {
  file: string;
  line?: number;
  message: string;
  /** Worth knowing but nothing was ignored (a key taken from a built-in command). */
  warning?: boolean;
}

export function formatIssue(i: Issue): string {
  return `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`;
}

/**
 * One YAML file read for validation: the parsed nodes keep their source positions, so every
 * complaint names the line it is about. Readers never throw; they record issues and skip the value.
 */
export class YamlFile {
  readonly issues: Issue[] = [];
  readonly root: Node | undefined;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  /** `name` is how the file is named in messages (`hotkeys.yaml`, `skins/light.yaml`). */
  constructor(
    readonly name: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const e of this.doc.errors) {
      this.issues.push({ file: name, line: this.lines.linePos(e.pos[0]).line, message: firstLine(e.message) });
    }
    this.root = this.doc.errors.length ? undefined : (this.deref(this.doc.contents) ?? undefined);
  }

  lineOf(node: Node | undefined): number | undefined {
    const start = node?.range?.[0];
    return start === undefined ? undefined : this.lines.linePos(start).line;
  }

  issue(node: Node | undefined, message: string): void {
    this.issues.push({ file: this.name, line: this.lineOf(node), message });
  }

  /** Follows `*anchor` references (k9s skins use them for every colour). */
  deref(node: unknown): Node | undefined {
    if (isAlias(node)) return this.deref(node.resolve(this.doc));
    return isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
  }

  /** The entries of a mapping as [key, key node, value node]; anything else is reported. */
  entries(
    node: Node | undefined,
    what: string,
  ): Array<{ key: string; keyNode: Node | undefined; value: Node | undefined }> {
    if (!node || (isScalar(node) && node.value === null)) return [];
    if (!isMap(node)) {
      this.issue(node, `${what} must be a mapping`);
      return [];
    }
    return node.items.map((p) => {
      const keyNode = this.deref(p.key);
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (!isScalar(keyNode)) this.issue(keyNode, `${what}: keys must be plain words`);
      return { key, keyNode, value: this.deref(p.value) };
    });
  }

  /** The value under `key` of a mapping node. */
  get(node: Node | undefined, key: string): Node | undefined {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    return pair ? this.deref(pair.value) : undefined;
  }

  string(node: Node | undefined, what: string): string | undefined {
    if (!node) return undefined;
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
    this.issue(node, `${what} must be a string`);
    return undefined;
  }

  number(node: Node | undefined, what: string, min = -Infinity): number | undefined {
    if (!node) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) && node.value >= min)
      return node.value;
    this.issue(node, `${what} must be a number${min > -Infinity ? ` of at least ${min}` : ''}, not ${show(node)}`);
    return undefined;
  }

  bool(node: Node | undefined, what: string): boolean | undefined {
    if (!node) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.issue(node, `${what} must be true or false, not ${show(node)}`);
    return undefined;
  }

  /** A list of strings; a single string counts as a list of one. */
  strings(node: Node | undefined, what: string): string[] | undefined {
    if (!node) return undefined;
    if (isScalar(node)) {
      const s = this.string(node, what);
      return s === undefined ? undefined : [s];
    }
    if (!isSeq(node)) {
      this.issue(node, `${what} must be a list`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of node.items) {
      const s = this.string(this.deref(item), `${what} items`);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  /** Reports keys of a mapping that the reader does not know (typos are the usual cause). */
  onlyKeys(node: Node | undefined, known: string[], what: string): void {
    for (const { key, keyNode } of this.entries(node, what)) {
      if (!known.includes(key)) this.issue(keyNode, `${what}: unknown field "${key}" (known: ${known.join(', ')})`);
    }
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function show(node: Node): string {
  if (isScalar(node)) return JSON.stringify(node.value);
  return isMap(node) ? 'a mapping' : 'a list';
}
