import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { Controller } from '../../source/ui/controller.ts';

const plain = {} as Key;

/** A controller with no cluster behind it, ready, on the client-side contexts table. */
function ready(): Controller {
  const c = new Controller({ columns: 100, rows: 30, onQuit: () => {} });
  c.store.update((s) => ({ ...s, conn: { phase: 'ready' } }));
  c.push(c.newTable('contexts', null));
  return c;
}

describe('a chunk of input read at once', () => {
  it('goes into the open prompt in one piece, and what follows an enter is keys again', () => {
    const c = ready();
    c.handleInput('/', plain);
    expect(c.state.prompt).toMatchObject({ kind: 'filter', text: '' });
    c.handleInput('abc def', plain);
    expect(c.state.prompt).toMatchObject({ kind: 'filter', text: 'abc def' });
    c.handleInput('\r/xy', plain); // enter commits; `/` reopens the prompt (with the filter) and `xy` is typed into it
    expect(c.state.prompt).toMatchObject({ kind: 'filter', text: 'abc defxy' });
    c.handleInput('\x1b', { escape: true } as Key);
    expect(c.state.prompt).toBeNull();
    c.dispose();
  });

  it('replaces a dialog’s selected value and submits with the enter in the same chunk', () => {
    const c = ready();
    const answers: string[] = [];
    c.ask({ kind: 'input', title: 'Scale', label: 'Replicas:', value: '1', numeric: { min: 0, max: 10 } }, (a) => {
      if (a.ok) answers.push(a.value ?? '');
    });
    c.handleInput('3\r', plain);
    expect(answers).toEqual(['3']);
    expect(c.state.dialog).toBeNull();
    c.dispose();
  });
});
