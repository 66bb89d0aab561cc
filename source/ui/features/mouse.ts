import type { Controller } from '../controller.ts';
import { layoutFor } from '../layout.ts';
import type { MouseEvent } from '../mouse/sgr.ts';
import { crumbLayout, crumbText } from '../state/crumbs.ts';
import { topView } from '../state/types.ts';
import { scrollTop, selectedIndex } from '../table/derive.ts';
import { move } from './navigation.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  | 'docFor'
  | 'fullObject'
  | 'newId'
  | 'newTable'
  | 'push'
  | 'pushText'
  | 'quit'
  | 'replaceTop'
  | 'resetTo'
  | 'selectedRow'
  | 'selection'
  | 'session'
  | 'sourceFor'
  | 'state'
  | 'store'
  | 'switchContext'
  | 'tableModel'
  | 'textLines'
  | 'toast'
>;

/** Two presses on the same row within this time open it (a terminal reports no double-clicks). */
const DOUBLE_CLICK_MS = 400;
let lastClick: { at: number; viewId: number; uid: string } | undefined;

/**
 * A mouse event on the screen laid out by layoutFor: the wheel scrolls, a click on a table row
 * selects it and a second click opens it (as enter does), a click on an earlier crumb goes back to
 * that view. Returns a command to run, if any.
 */
export function mouseEvent(c: Host, ev: MouseEvent, now = Date.now()): 'table.enter' | undefined {
  const s = c.state;
  if (ev.release || s.dialog || s.prompt || s.conn.phase !== 'ready') return undefined;
  const view = topView(s);
  if (!view) return undefined;
  if (ev.button === 'wheelUp' || ev.button === 'wheelDown') {
    const step = view.kind === 'table' ? 1 : 3;
    move(c, ev.button === 'wheelUp' ? -step : step);
    return undefined;
  }
  if (ev.button !== 'left') return undefined;
  const layout = layoutFor(s);
  const boxTop = layout.headerRows + layout.promptRows;
  const crumbRow = boxTop + layout.boxRows;
  if (ev.y === crumbRow) {
    const crumbs = s.stack.map(crumbText);
    const { first, spans } = crumbLayout(crumbs, layout.width);
    const hit = spans.findIndex((sp) => ev.x >= sp.start && ev.x < sp.end);
    const index = hit < 0 ? -1 : first + hit;
    if (index >= 0 && index < s.stack.length - 1)
      c.store.update((st) => ({ ...st, stack: st.stack.slice(0, index + 1) }));
    return undefined;
  }
  if (view.kind !== 'table') return undefined;
  const firstRow = boxTop + 2; // the frame's top border and the column header
  if (ev.y < firstRow || ev.y >= firstRow + layout.tableRows) return undefined;
  const rows = c.tableModel(view).rows;
  const sel = selectedIndex(rows, view.selectedUid, view.selectedIndex);
  const top = scrollTop(view.top, sel, layout.tableRows, rows.length);
  const index = top + (ev.y - firstRow);
  const row = rows[index];
  if (!row) return undefined;
  const double =
    lastClick && lastClick.viewId === view.id && lastClick.uid === row.uid && now - lastClick.at < DOUBLE_CLICK_MS;
  lastClick = double ? undefined : { at: now, viewId: view.id, uid: row.uid };
  c.replaceTop({ ...view, selectedUid: row.uid, selectedIndex: index, top });
  return double ? 'table.enter' : undefined;
}
