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
  /** The current crumb (the view stack's last entry). */
  crumbFg?: string;
  crumbBg?: string;
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
  crumbFg: 'black',
  crumbBg: 'magenta',
  colour: true,
};

/** For terminals with a light background: no bright or pale colours, which vanish on white. */
export const lightTheme: Theme = {
  accent: 'blue',
  muted: '#5f5f5f',
  title: '#00005f',
  border: '#005f87',
  keyHint: '#870087',
  selectionFg: 'white',
  selectionBg: '#005f87',
  header: 'black',
  ok: '#005f00',
  warn: '#875f00',
  error: '#af0000',
  dim: '#6c6c6c',
  promptCommand: '#875f00',
  promptFilter: '#870087',
  crumbFg: 'white',
  crumbBg: '#870087',
  colour: true,
};

/** NO_COLOR (https://no-color.org): no colours; the selection still shows (inverse). */
export const noColorTheme: Theme = { colour: false };

export function pickTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  return env.NO_COLOR ? noColorTheme : darkTheme;
}
