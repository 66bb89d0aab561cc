import type { ViewState } from './types.ts';

/** A view's crumb: `pods`, `deployments`, `describe`, `help`. */
export function crumbText(view: ViewState): string {
  // A multi-namespace scope shows its set: `pods(a,b)`.
  if (view.kind === 'table')
    return view.crumb ?? view.resource.split('.')[0] + (view.namespace?.includes(',') ? `(${view.namespace})` : '');
  if (view.kind === 'help') return 'help';
  return view.mode;
}

/**
 * The crumbs that fit `width` (the newest ones) and where each starts: the line is a space, then
 * `<crumb>` for each, separated by one space. `first` is the index of the first shown crumb.
 */
export function crumbLayout(
  crumbs: string[],
  width: number,
): { first: number; spans: Array<{ start: number; end: number }> } {
  let first = 0;
  const total = (from: number) => crumbs.slice(from).reduce((n, c) => n + c.length + 3, 1);
  while (crumbs.length - first > 1 && total(first) > width) first++;
  const spans: Array<{ start: number; end: number }> = [];
  let x = 1;
  for (const c of crumbs.slice(first)) {
    const len = Math.min(c.length + 2, width - 2);
    spans.push({ start: x, end: x + len });
    x += len + 1;
  }
  return { first, spans };
}
