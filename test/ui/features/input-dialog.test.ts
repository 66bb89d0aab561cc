import { describe, expect, it } from 'vitest';
import { inputDialogKey, inputDialogPaste, numericError, openInput } from '../../../source/ui/features/input-dialog.ts';
import type { InputDialog } from '../../../source/ui/state/types.ts';

const scale = (value: string): InputDialog =>
  openInput({
    kind: 'input',
    title: 'Scale deployment/web',
    label: 'Replicas:',
    value,
    numeric: { min: 0, max: 10_000 },
  });
const press = (d: InputDialog, ...names: string[]) => names.reduce((x, n) => inputDialogKey(x, n) ?? x, d);

describe('the input dialog', () => {
  it('opens with the prefilled value selected, so typing 3 over 1 gives 3 (not 13)', () => {
    const d = scale('1');
    expect(d.selected).toBe(true);
    expect(press(d, '3').value).toBe('3');
    expect(press(d, '3', '0').value).toBe('30');
    expect(openInput({ kind: 'input', title: '', label: '', value: '' }).selected).toBe(false);
  });

  it('steps a number with up/down and +/-, within its range', () => {
    expect(press(scale('1'), 'up', 'up').value).toBe('3');
    expect(press(scale('1'), '+').value).toBe('2');
    expect(press(scale('1'), '-', '-', 'down').value).toBe('0');
    expect(press(scale('10000'), 'up').value).toBe('10000');
    expect(press(scale('x'), 'up').value).toBe('1');
  });

  it('says what is wrong with a number as it is typed', () => {
    expect(press(scale('1'), 'a').error).toBe('"a" is not a number');
    expect(press(scale('1'), '1', '.', '5').error).toBe('Must be a whole number');
    expect(press(scale('1'), '9', '9', '9', '9', '9').error).toBe('At most 10000');
    expect(press(scale('1'), 'backspace').error).toBe('Enter a number from 0 to 10000');
    expect(press(scale('1'), '4').error).toBeUndefined();
    expect(numericError('-2', { min: 0, max: 5 })).toMatch(/negative/);
  });

  it('takes a paste in one piece, replacing the selection', () => {
    const image = openInput({ kind: 'input', title: 'Set image', label: 'Image:', value: 'nginx:1.7.9' });
    expect(inputDialogPaste(image, 'nginx:1.9.1').value).toBe('nginx:1.9.1');
    expect(inputDialogPaste(press(image, 'end'), '-x').value).toBe('nginx:1.7.9-x');
  });
});
