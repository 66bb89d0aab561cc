import { describe, expect, it } from 'vitest';
import { editField, editLine, field, insertText, splitAtCursor, type LineField } from '../../source/ui/line-edit.ts';

const keys = (f: LineField, ...names: string[]) => names.reduce((x, n) => editField(x, n) ?? x, f);

describe('the line editor', () => {
  it('types at the cursor and moves with arrows, ctrl-a/ctrl-e, home/end, ctrl-b/ctrl-f', () => {
    let f = keys(field(''), 'a', 'b', 'c');
    expect(f).toMatchObject({ text: 'abc', cursor: 3 });
    f = keys(f, 'left', 'left', 'X');
    expect(f).toMatchObject({ text: 'aXbc', cursor: 2 });
    f = keys(f, 'ctrl-a', '>');
    expect(f).toMatchObject({ text: '>aXbc', cursor: 1 });
    f = keys(f, 'ctrl-e', '<');
    expect(f).toMatchObject({ text: '>aXbc<', cursor: 6 });
    f = keys(f, 'home', 'ctrl-f', 'ctrl-f', 'end', 'ctrl-b', 'backspace');
    expect(f).toMatchObject({ text: '>aXb<', cursor: 4 });
    expect(keys(f, 'right', 'right', 'right').cursor).toBe(5);
    expect(keys(f, 'left', 'left', 'left', 'left', 'left', 'left').cursor).toBe(0);
  });

  it('ctrl-u erases to the start, ctrl-k to the end, ctrl-w the word before the cursor', () => {
    const f = field('get pods -n kube-system', 11);
    expect(keys(f, 'ctrl-u')).toMatchObject({ text: ' kube-system', cursor: 0 });
    expect(keys(f, 'ctrl-k')).toMatchObject({ text: 'get pods -n', cursor: 11 });
    expect(keys(f, 'ctrl-w')).toMatchObject({ text: 'get pods  kube-system', cursor: 9 });
    expect(keys(field('get pods   '), 'ctrl-w')).toMatchObject({ text: 'get ', cursor: 4 });
    expect(keys(field('a b'), 'ctrl-w', 'ctrl-w', 'ctrl-w')).toMatchObject({ text: '', cursor: 0 });
  });

  it('a selected (prefilled) value is replaced by typing and cleared by erasing; moving keeps it', () => {
    const sel = field('1', undefined, true);
    expect(keys(sel, '3')).toMatchObject({ text: '3', cursor: 1, selected: false });
    expect(keys(sel, 'backspace')).toMatchObject({ text: '', selected: false });
    expect(keys(sel, 'ctrl-w')).toMatchObject({ text: '' });
    expect(keys(field('nginx:1.7.9', undefined, true), 'end', 'backspace', '8')).toMatchObject({
      text: 'nginx:1.7.8',
      selected: false,
    });
    expect(keys(field('nginx', undefined, true), 'ctrl-a', 'x')).toMatchObject({ text: 'xnginx', cursor: 1 });
  });

  it('pasted text goes in at the cursor in one piece, without line breaks or control characters', () => {
    expect(insertText(field('ab', 1), 'XYZ')).toMatchObject({ text: 'aXYZb', cursor: 4 });
    expect(insertText(field('old', undefined, true), 'new')).toMatchObject({ text: 'new', cursor: 3, selected: false });
    expect(insertText(field(''), 'app=web\n')).toMatchObject({ text: 'app=web ' });
    expect(insertText(field(''), 'a\x07b')).toMatchObject({ text: 'ab' });
  });

  it('counts characters, not UTF-16 units', () => {
    const f = keys(field('日本語🚀'), 'left', 'backspace');
    expect(f).toMatchObject({ text: '日本🚀', cursor: 2 });
    expect(splitAtCursor(f)).toEqual(['日本', '🚀', '']);
    expect(splitAtCursor(field('ab'))).toEqual(['ab', ' ', '']);
  });

  it('ignores keys that are not edits', () => {
    expect(editField(field('x'), 'enter')).toBeUndefined();
    expect(editField(field('x'), 'ctrl-x')).toBeUndefined();
    expect(editLine('abc', 'space')).toBe('abc ');
    expect(editLine('abc', 'tab')).toBeUndefined();
  });
});
