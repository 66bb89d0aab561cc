import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keepLayoutOnSameShapeText } from '../../source/ui/ink-text-dirty.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));

/** Runs `body` in a child node with the TUI's module hook registered; returns its JSON output. */
function withHook(body: string): unknown {
  const hook = pathToFileURL(join(ROOT, 'source', 'ui', 'ink-cache-hook.mjs')).href;
  const script = `import { register } from 'node:module';
register(${JSON.stringify(hook)});
const dom = await import(${JSON.stringify(pathToFileURL(join(inkBuild, 'dom.js')).href)});
${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out);
}

describe('Ink keeps the layout of a truncated text replaced by as many ASCII characters', () => {
  it('rewrites the installed dom.js', () => {
    const source = readFileSync(join(inkBuild, 'dom.js'), 'utf8');
    expect(keepLayoutOnSameShapeText(source)).not.toBe(source); // ink changed: check setTextNodeValue
  });

  it('marks the text dirty only when its measure may change', () => {
    const results = withHook(`
const dirtyAfter = (wrap, from, to) => {
  const root = dom.createNode('ink-box');
  const text = dom.createNode('ink-text');
  dom.setStyle(text, { textWrap: wrap });
  dom.appendChildNode(root, text);
  const chars = dom.createTextNode(from);
  dom.appendChildNode(text, chars);
  root.yogaNode.setWidth(40);
  root.yogaNode.setFlexDirection(2); // row: the text is as wide as it measures
  root.yogaNode.calculateLayout();
  const clean = !text.yogaNode.isDirty();
  dom.setTextNodeValue(chars, to);
  const out = { clean, dirty: text.yogaNode.isDirty(), value: chars.nodeValue };
  root.yogaNode.calculateLayout();
  out.width = text.yogaNode.getComputedWidth();
  return out;
};
console.log(JSON.stringify({
  tick: dirtyAfter('truncate', ' 5m59s ', ' 6m00s '),
  longer: dirtyAfter('truncate', ' 59s ', ' 1m0s  x'),
  wrapped: dirtyAfter('wrap', 'ab cd', 'abc d'),
  wide: dirtyAfter('truncate-end', 'ab', '日'),
}));`) as Record<string, { clean: boolean; dirty: boolean; value: string; width: number }>;
    expect(results.tick).toEqual({ clean: true, dirty: false, value: ' 6m00s ', width: 7 });
    expect(results.longer).toMatchObject({ clean: true, dirty: true, value: ' 1m0s  x', width: 8 });
    expect(results.wrapped).toMatchObject({ clean: true, dirty: true });
    expect(results.wide).toMatchObject({ clean: true, dirty: true, width: 2 });
  });
});
