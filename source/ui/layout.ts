/** How the screen's rows are shared out. Ink 6 needs the frame one row shorter than the terminal. */
export interface ScreenLayout {
  width: number;
  frameHeight: number;
  headerRows: number;
  promptRows: number;
  /** The bordered main box, borders included. */
  boxRows: number;
  /** Lines inside the box. */
  innerRows: number;
  /** Data rows of a table (inner rows minus the column header). */
  tableRows: number;
  footerRows: number;
}

export const MAX_TOAST_LINES = 6;

/** The layout for a UI state: the prompt and a multi-line toast take rows from the main box. */
export function layoutFor(s: {
  size: { columns: number; rows: number };
  prompt: unknown;
  toast: { text: string } | null;
}): ScreenLayout {
  const toastLines = s.toast ? Math.min(MAX_TOAST_LINES, s.toast.text.split('\n').length) : 1;
  return screenLayout(s.size, !!s.prompt, toastLines);
}

export function screenLayout(
  size: { columns: number; rows: number },
  promptOpen: boolean,
  toastLines = 1,
): ScreenLayout {
  const width = Math.max(20, size.columns);
  const frameHeight = Math.max(6, size.rows - 1);
  const headerRows = frameHeight >= 20 ? 5 : frameHeight >= 12 ? 1 : 0;
  const promptRows = promptOpen ? 1 : 0;
  let footerRows = 1 + toastLines;
  if (frameHeight - headerRows - promptRows - footerRows < 3) footerRows = 2;
  const boxRows = Math.max(3, frameHeight - headerRows - promptRows - footerRows);
  const innerRows = boxRows - 2;
  return {
    width,
    frameHeight,
    headerRows,
    promptRows,
    boxRows,
    innerRows,
    tableRows: Math.max(0, innerRows - 1),
    footerRows,
  };
}

/** The screen row of a table's first data row: below the header, the prompt, the box's top border and the column header. */
export function tableBodyTop(layout: ScreenLayout): number {
  return layout.headerRows + layout.promptRows + 2;
}
