/** Semantic colour tokens; components never name colours themselves. */
export interface Theme {
  accent?: string;
  muted?: string;
  title?: string;
  border?: string;
  keyHint?: string;
  selectionFg?: string;
  selectionBg?: string;
  header?: string;
  ok?: string;
  warn?: string;
  error?: string;
  dim?: string;
  promptCommand?: string;
  promptFilter?: string;
  /** Whether text colours/inverse are used at all. */
  colour: boolean;
}

export const darkTheme: Theme = {
  accent: 'cyan',
  muted: 'gray',
  title: 'cyanBright',
  border: 'blue',
  keyHint: 'magenta',
  selectionFg: 'black',
  selectionBg: 'cyan',
  header: 'white',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  dim: 'gray',
  promptCommand: 'yellow',
  promptFilter: 'magenta',
  colour: true,
};

/** NO_COLOR (https://no-color.org): no colours; the selection still shows (inverse). */
export const noColorTheme: Theme = { colour: false };

export function pickTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  return env.NO_COLOR ? noColorTheme : darkTheme;
}
