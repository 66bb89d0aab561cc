import colorNames from 'color-name';
import type { Node } from 'yaml';
import { darkTheme, lightTheme, noColorTheme, type Theme } from '../theme.ts';
import type { YamlFile } from './yaml-file.ts';

export type ColourToken = Exclude<keyof Theme, 'colour'>;

/** Every colour a skin sets, with what it paints (the README's skin table is this list). */
export const SKIN_TOKENS: Record<ColourToken, string> = {
  accent: 'header labels, counts, YAML keys, info messages',
  muted: 'secondary text: key labels, hints, loading',
  title: 'view titles and the logo',
  border: 'frame borders',
  keyHint: 'keys in the header and crumbs, the scope of a title',
  selectionFg: 'selected row text',
  selectionBg: 'selected row background',
  header: 'table column headers and header values',
  ok: 'healthy rows (Running, Ready), success messages',
  warn: 'rows in progress (Pending, ContainerCreating), warnings',
  error: 'failing rows, errors, dangerous buttons',
  dim: 'finished rows (Completed, Terminating)',
  promptCommand: 'the : command prompt',
  promptFilter: 'the / filter prompt and active filters',
  crumbFg: 'the current crumb text',
  crumbBg: 'the current crumb background',
};

export const BUILTIN_SKINS: Record<string, Theme> = { dark: darkTheme, light: lightTheme };

/**
 * Where each k9s skin field lands (k9s's skin.yaml: `k9s: {body, prompt, info, frame, views}`).
 * The first path that is set wins.
 */
const K9S_MAP: Record<ColourToken, string[][]> = {
  accent: [
    ['frame', 'title', 'counterColor'],
    ['info', 'fgColor'],
  ],
  muted: [
    ['frame', 'menu', 'fgColor'],
    ['info', 'sectionColor'],
  ],
  title: [
    ['frame', 'title', 'fgColor'],
    ['body', 'logoColor'],
  ],
  border: [['frame', 'border', 'fgColor']],
  keyHint: [['frame', 'menu', 'keyColor']],
  selectionFg: [['views', 'table', 'cursorFgColor']],
  selectionBg: [['views', 'table', 'cursorBgColor']],
  header: [['views', 'table', 'header', 'fgColor']],
  ok: [['frame', 'status', 'newColor']],
  warn: [['frame', 'status', 'modifyColor']],
  error: [['frame', 'status', 'errorColor']],
  dim: [
    ['frame', 'status', 'completedColor'],
    ['frame', 'status', 'killColor'],
  ],
  promptCommand: [['prompt', 'fgColor']],
  promptFilter: [['frame', 'title', 'filterColor']],
  crumbFg: [['frame', 'crumbs', 'fgColor']],
  crumbBg: [
    ['frame', 'crumbs', 'activeColor'],
    ['frame', 'crumbs', 'bgColor'],
  ],
};

/** Ink's colour names (chalk's), `#rrggbb`, `ansi256(n)`, and the W3C names k9s skins use. */
export function parseColour(value: string): { colour: string | undefined } | { error: string } {
  const v = value.trim();
  if (v === 'default' || v === '') return { colour: undefined };
  if (/^#[0-9a-f]{6}$/i.test(v)) return { colour: v };
  if (/^#[0-9a-f]{3}$/i.test(v)) return { colour: '#' + [...v.slice(1)].map((c) => c + c).join('') };
  if (/^ansi256\(\s?\d{1,3}\s?\)$/.test(v)) return { colour: v };
  if (INK_NAMES.has(v)) return { colour: v };
  const rgb = colorNames[v.toLowerCase()];
  if (rgb) return { colour: '#' + rgb.map((n) => n.toString(16).padStart(2, '0')).join('') };
  return { error: `unknown colour "${value}" (a name like blue or dodgerblue, #rrggbb, or default)` };
}

const INK_NAMES = new Set(
  ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey'].flatMap((c) =>
    c === 'gray' || c === 'grey' ? [c] : [c, `${c}Bright`],
  ),
);

/**
 * A skin file: skiff's own (`skiff: {accent: blue, …}`, the token names above) or k9s's
 * (`k9s: {frame: …, views: …}`). Colours left out keep the default skin's.
 */
export function readSkin(f: YamlFile): Partial<Theme> {
  const out: Partial<Theme> = {};
  if (!f.root) return out;
  // Other top-level keys are allowed: k9s skins keep their palette there, as anchors.
  const skiff = f.get(f.root, 'skiff');
  const k9s = f.get(f.root, 'k9s');
  if (!skiff && !k9s) {
    f.issue(f.root, 'expected a top-level "skiff:" (or k9s\'s "k9s:") mapping');
    return out;
  }
  if (k9s) {
    for (const [token, paths] of Object.entries(K9S_MAP) as Array<[ColourToken, string[][]]>) {
      for (const path of paths) {
        const node = path.reduce<Node | undefined>((n, k) => f.get(n, k), k9s);
        if (!node) continue;
        setColour(f, out, token, node, `k9s.${path.join('.')}`);
        break;
      }
    }
  }
  if (skiff) {
    f.onlyKeys(skiff, Object.keys(SKIN_TOKENS), 'skiff');
    for (const token of Object.keys(SKIN_TOKENS) as ColourToken[]) {
      const node = f.get(skiff, token);
      if (node) setColour(f, out, token, node, `skiff.${token}`);
    }
  }
  return out;
}

function setColour(f: YamlFile, out: Partial<Theme>, token: ColourToken, node: Node, what: string): void {
  const s = f.string(node, what);
  if (s === undefined) return;
  const c = parseColour(s);
  if ('error' in c) f.issue(node, `${what}: ${c.error}`);
  else out[token] = c.colour;
}

/**
 * The theme to draw with: NO_COLOR wins over everything (https://no-color.org); then the named
 * skin — a file under skins/ over a built-in one — laid over the dark default.
 */
export function resolveTheme(
  name: string | undefined,
  files: Record<string, Partial<Theme>>,
  env: NodeJS.ProcessEnv,
): Theme | undefined {
  if (env.NO_COLOR) return noColorTheme;
  if (!name) return undefined;
  const base = BUILTIN_SKINS[name] ?? darkTheme;
  const file = files[name];
  if (!file && !BUILTIN_SKINS[name]) return undefined;
  return { ...base, ...file, colour: true };
}
