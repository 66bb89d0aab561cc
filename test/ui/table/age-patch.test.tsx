import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CellEdit } from '../../../source/ui/screen/cell-patch.ts';
import { startTestEngine, type TestEngine } from '../../helpers/engine.ts';
import { renderApp, type AppHarness } from '../harness.tsx';

// A ticking AGE column patched onto the screen without a render (TableView → CellPatcher), checked
// against the frames Ink really renders. The pods are fresh: their ages change every second.
let t: TestEngine;
let app: AppHarness | undefined;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  for (const name of ['web-1', 'web-2', 'db-0'])
    t.engine.ctx.store.create('pods', {
      metadata: { name, namespace: 'default' },
      spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
});
afterAll(async () => t?.stop());
afterEach(() => {
  app?.unmount();
  app = undefined;
});

/**
 * A terminal as the patcher sees it: Ink's last frame, with the patches applied since. Every
 * edit must find its `before` where it says; what it found otherwise is kept in `problems`.
 */
function screenModel(frame: () => string, frameCount: () => number) {
  let lines: string[] = [];
  let seen = '';
  const problems: string[] = [];
  const patches: Array<{ edits: readonly CellEdit[]; frames: number }> = [];
  return {
    problems,
    patches,
    lines: () => lines,
    patch(edits: readonly CellEdit[]): boolean {
      const f = frame();
      if (f !== seen) lines = (seen = f).split('\n');
      for (const e of edits) {
        const at = (lines[e.row] ?? '').slice(e.col, e.col + e.before.length);
        if (at !== e.before)
          problems.push(
            `row ${e.row} col ${e.col}: screen reads ${JSON.stringify(at)}, edit expected ${JSON.stringify(e.before)}`,
          );
        else lines[e.row] = lines[e.row].slice(0, e.col) + e.after + lines[e.row].slice(e.col + e.after.length);
      }
      patches.push({ edits, frames: frameCount() });
      return true;
    },
  };
}

const rowOf = (lines: string[], name: string) => lines.find((l) => l.includes(` ${name} `)) ?? '';

describe('AGE ticks patched onto the screen', () => {
  it('writes each tick onto the rows Ink drew, without rendering, and a later render agrees', async () => {
    let model: ReturnType<typeof screenModel> | undefined;
    app = renderApp({
      kubeconfigPath: t.engine.kubeconfigPath,
      patcher: { patch: (edits) => model!.patch(edits) },
    });
    const a = app;
    model = screenModel(a.frame, a.frameCount);
    await a.waitFor('Pods(default)[3]');
    await a.waitFor(() => model.patches.filter((p) => p.edits.length > 0).length >= 3, 20_000);
    expect(model.problems).toEqual([]);
    // Every edit is a whole table row (the name in it), only the AGE cells changed.
    for (const { edits } of model.patches)
      for (const e of edits) {
        expect(e.before).toMatch(/ (web-1|web-2|db-0) /);
        expect(e.after.length).toBe(e.before.length);
      }
    // Ticks do not render: some consecutive patches saw no frame in between.
    const quiet = model.patches.slice(1).filter((p, i) => p.frames === model.patches[i].frames);
    expect(quiet.length).toBeGreaterThan(0);

    // A render now (the selection moves; no colours in this theme) shows what the patches left.
    let agreed = false;
    for (let attempt = 0; attempt < 10 && !agreed; attempt++) {
      const patched = model.patches.length;
      const before = model.lines().slice();
      const frames = a.frameCount();
      await a.press('j');
      await a.waitFor(() => a.frameCount() > frames);
      // A tick between the two would make them differ by a second: try again.
      if (model.patches.length !== patched) continue;
      const after = a.frame().split('\n');
      agreed = ['web-1', 'web-2', 'db-0'].every((n) => rowOf(after, n) === rowOf(before, n) && rowOf(after, n) !== '');
      if (!agreed) expect(after.map((l) => l.trimEnd())).toEqual(before.map((l) => l.trimEnd()));
    }
    expect(agreed).toBe(true);
  }, 60_000);

  it('renders the tick as before when the patch is refused', async () => {
    // The rows each refused patch wanted: a render must bring them to the screen.
    const wanted: string[][] = [];
    app = renderApp({
      kubeconfigPath: t.engine.kubeconfigPath,
      patcher: {
        patch: (edits) => {
          if (edits.length) wanted.push(edits.map((e) => e.after));
          return false;
        },
      },
    });
    const a = app;
    await a.waitFor('Pods(default)[3]');
    await a.waitFor(() => wanted.length > 0, 20_000);
    await a.waitFor(() => wanted.some((rows) => rows.every((r) => a.frame().includes(r))), 20_000);
  }, 60_000);
});
