import { editField, field, insertText, type LineField } from '../line-edit.ts';
import type { InputDialog } from '../state/types.ts';

/** Keys and paste in an input dialog (pure: the controller stores what comes back). */

function fieldOf(d: InputDialog): LineField {
  return { ...field(d.value, d.cursor), selected: !!d.selected };
}

function withField(d: InputDialog, f: LineField): InputDialog {
  const next: InputDialog = { ...d, value: f.text, cursor: f.cursor, selected: !!f.selected, error: undefined };
  return d.numeric ? { ...next, error: numericError(f.text, d.numeric) } : next;
}

/** Why a numeric field's text is not acceptable, said before it is submitted. */
export function numericError(text: string, range: { min: number; max: number }): string | undefined {
  const v = text.trim();
  if (!v) return `Enter a number from ${range.min} to ${range.max}`;
  if (/^[+-]?\d+\.\d*$/.test(v)) return 'Must be a whole number';
  if (/^-\d+$/.test(v)) return `Cannot be negative (at least ${range.min})`;
  if (!/^\+?\d+$/.test(v)) return `"${v}" is not a number`;
  const n = Number(v);
  if (n < range.min) return `At least ${range.min}`;
  if (n > range.max) return `At most ${range.max}`;
  return undefined;
}

/** Opening state: a prefilled value is selected, the cursor at its end. */
export function openInput(d: InputDialog): InputDialog {
  const selected = d.selected ?? d.value !== '';
  const f = field(d.value, d.cursor, selected);
  return { ...d, cursor: f.cursor, selected };
}

/** The dialog after `name`, or undefined when the key does nothing here (enter/esc are the controller's). */
export function inputDialogKey(d: InputDialog, name: string): InputDialog | undefined {
  if (d.numeric && ['up', 'down', '+', '-'].includes(name)) {
    const cur = Number(d.value.trim());
    const base = Number.isFinite(cur) && /^\s*\+?\d+\s*$/.test(d.value) ? cur : d.numeric.min;
    const next = Math.max(d.numeric.min, Math.min(d.numeric.max, base + (name === 'up' || name === '+' ? 1 : -1)));
    return withField(d, { ...field(String(next)), selected: true });
  }
  const f = editField(fieldOf(d), name);
  return f && withField(d, f);
}

export function inputDialogPaste(d: InputDialog, text: string): InputDialog {
  return withField(d, insertText(fieldOf(d), text));
}
