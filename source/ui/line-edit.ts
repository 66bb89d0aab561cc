/** One key applied to a one-line text field (prompt, dialog input); undefined when the key does not edit. */
export function editLine(text: string, name: string): string | undefined {
  if (name === 'backspace') return text.slice(0, -1);
  if (name === 'ctrl-u') return '';
  if (name === 'ctrl-w') return text.replace(/\S+\s*$/, '');
  if (name === 'space') return text + ' ';
  if ([...name].length === 1) return text + name;
  return undefined;
}
