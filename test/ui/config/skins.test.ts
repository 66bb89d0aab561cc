import { describe, expect, it } from 'vitest';
import { parseColour, readSkin, resolveTheme, SKIN_TOKENS } from '../../../source/ui/config/skins.ts';
import { formatIssue, YamlFile } from '../../../source/ui/config/yaml-file.ts';
import { darkTheme, lightTheme, noColorTheme } from '../../../source/ui/theme.ts';

describe('skins', () => {
  it("maps a k9s skin (anchors and W3C colour names) onto skiff's tokens", () => {
    const f = new YamlFile(
      'skins/nightfox.yaml',
      `foreground: &foreground "#cdcecf"
blue: &blue "#719cd6"
red: &red "#c94f6d"
k9s:
  body:
    fgColor: *foreground
    logoColor: *blue
  frame:
    border:
      fgColor: dodgerblue
    menu:
      keyColor: *red
    status:
      errorColor: *red
      newColor: default
    title:
      fgColor: *foreground
      filterColor: orange
  views:
    table:
      cursorFgColor: black
      cursorBgColor: "#2b3b51"
      header:
        fgColor: *foreground
`,
    );
    const skin = readSkin(f);
    expect(f.issues).toEqual([]);
    expect(skin).toEqual({
      border: '#1e90ff',
      keyHint: '#c94f6d',
      error: '#c94f6d',
      ok: undefined,
      title: '#cdcecf',
      promptFilter: '#ffa500',
      selectionFg: 'black',
      selectionBg: '#2b3b51',
      header: '#cdcecf',
    });
  });

  it("reads skiff's own format, one colour per token, and reports bad colours with lines", () => {
    const f = new YamlFile(
      'skins/mine.yaml',
      'skiff:\n  accent: blue\n  border: "#abc"\n  error: crimsonish\n  sparkle: red\n',
    );
    expect(readSkin(f)).toEqual({ accent: 'blue', border: '#aabbcc' });
    expect(f.issues.map(formatIssue)).toEqual([
      'skins/mine.yaml:5: skiff: unknown field "sparkle" (known: ' + Object.keys(SKIN_TOKENS).join(', ') + ')',
      'skins/mine.yaml:4: skiff.error: unknown colour "crimsonish" (a name like blue or dodgerblue, #rrggbb, or default)',
    ]);
  });

  it('the shipped light skin sets every colour; NO_COLOR wins over any skin', () => {
    for (const t of Object.keys(SKIN_TOKENS)) expect(lightTheme).toHaveProperty(t);
    for (const t of Object.keys(SKIN_TOKENS)) expect(darkTheme).toHaveProperty(t);
    expect(resolveTheme('light', {}, {})).toEqual(lightTheme);
    expect(resolveTheme('light', {}, { NO_COLOR: '1' })).toBe(noColorTheme);
    expect(resolveTheme(undefined, {}, { NO_COLOR: '1' })).toBe(noColorTheme);
    expect(resolveTheme(undefined, {}, {})).toBeUndefined();
    expect(resolveTheme('mine', { mine: { accent: 'red' } }, {})).toEqual({ ...darkTheme, accent: 'red' });
    expect(resolveTheme('missing', {}, {})).toBeUndefined();
  });

  it('parses colours', () => {
    expect(parseColour('cyanBright')).toEqual({ colour: 'cyanBright' });
    expect(parseColour('DodgerBlue')).toEqual({ colour: '#1e90ff' });
    expect(parseColour('ansi256(28)')).toEqual({ colour: 'ansi256(28)' });
    expect(parseColour('default')).toEqual({ colour: undefined });
    expect(parseColour('#12345')).toHaveProperty('error');
  });
});
