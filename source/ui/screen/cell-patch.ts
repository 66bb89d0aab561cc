import { createContext } from 'react';

/** `before` at (row, col) of the screen, to be replaced by `after` of the same width, styles kept. */
export interface CellEdit {
  row: number;
  col: number;
  before: string;
  after: string;
  /**
   * Where `after` may differ from `before`, as [start, end) offsets into the texts (default: all of
   * it). The patcher compares only these cells one by one: a whole row as `before` then costs a
   * string comparison, not a loop over its cells.
   */
  span?: readonly [number, number];
}

/**
 * Writes a few cells straight to the terminal, without a React render or an Ink frame (the
 * FrameWriter). `patch` writes all the edits or none: it refuses (false) when the screen is not
 * known to read every `before` where it is expected, one cell per character, or a character that
 * changes is not printable ASCII; the caller then renders as usual. A whole row as `before` (not
 * only the cells that change) makes sure the patch lands on the row it was meant for.
 */
export interface CellPatcher {
  patch(edits: readonly CellEdit[]): boolean;
}

/** The terminal's patcher; none (undefined) in tests and with Ink's full redraw. */
export const CellPatcherContext = createContext<CellPatcher | undefined>(undefined);
