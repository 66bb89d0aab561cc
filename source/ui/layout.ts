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

export function screenLayout(size: { columns: number; rows: number }, promptOpen: boolean): ScreenLayout {
  const width = Math.max(20, size.columns);
  const frameHeight = Math.max(6, size.rows - 1);
  const headerRows = frameHeight >= 20 ? 5 : frameHeight >= 12 ? 1 : 0;
  const promptRows = promptOpen ? 1 : 0;
  const footerRows = 2;
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
