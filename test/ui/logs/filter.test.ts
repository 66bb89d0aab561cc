import { describe, expect, it } from 'vitest';
import { LineSelector, parseLogFilter, type LogFilterSpec } from '../../../source/ui/logs/filter.ts';
import { baseSegments, highlight, sourceColor } from '../../../source/ui/logs/segments.ts';

function select(lines: string[], text: string, prefixed = false): string[] {
  const spec = parseLogFilter(text) as LogFilterSpec;
  const sel = new LineSelector(spec, prefixed, (i) => lines[i]);
  lines.forEach((l, i) => sel.feed(i, l));
  return sel.kept.map((i) => lines[i]!);
}

const LINES = ['a', 'b', 'c ERROR one', 'd', 'e', 'f', 'g', 'h ERROR two', 'i ERROR three', 'j', 'k'];

describe('log filter', () => {
  it('parses -C, -L and the pattern', () => {
    expect(parseLogFilter('-C 2 -L warn time.*out')).toMatchObject({ context: 2, minLevel: 3, pattern: /time.*out/i });
    expect(parseLogFilter('-C3 --level=error x')).toMatchObject({ context: 3, minLevel: 4 });
    expect(parseLogFilter('-C x')).toBe('-C takes a number of lines');
    expect(parseLogFilter('-L loud')).toMatch(/^-L takes a level/);
    expect((parseLogFilter('a(b') as LogFilterSpec).pattern!.test('xa(b')).toBe(true);
  });

  it('keeps matches only, or with N lines of context either side, each line once (grep -C)', () => {
    expect(select(LINES, 'error')).toEqual(['c ERROR one', 'h ERROR two', 'i ERROR three']);
    expect(select(LINES, '-C 1 error')).toEqual(['b', 'c ERROR one', 'd', 'g', 'h ERROR two', 'i ERROR three', 'j']);
    expect(select(LINES, '-C 5 two')).toEqual([
      'c ERROR one',
      'd',
      'e',
      'f',
      'g',
      'h ERROR two',
      'i ERROR three',
      'j',
      'k',
    ]);
  });

  it('a level filter keeps structured lines at or above the level; -C adds their neighbours', () => {
    const lines = [
      '{"level":"info","msg":"up"}',
      'plain',
      '{"level":"warn","msg":"slow"}',
      'level=error msg=down',
      '{"level":"debug","msg":"tick"}',
    ];
    expect(select(lines, '-L warn')).toEqual([lines[2], lines[3]]);
    expect(select(lines, '-L warn -C 1')).toEqual(lines.slice(1));
    expect(select(lines, '-L error down')).toEqual([lines[3]]);
  });

  it('multi-pod lines are matched without their source prefix', () => {
    const lines = ['web-1 {"level":"error","msg":"x"}', 'web-2 web-1 is mentioned'];
    expect(select(lines, 'web-1', true)).toEqual([lines[1]]);
    expect(select(lines, '-L error', true)).toEqual([lines[0]]);
  });

  it('trim forgets lines that fell off the ring', () => {
    const spec = parseLogFilter('ERROR') as LogFilterSpec;
    const sel = new LineSelector(spec, false, (i) => LINES[i]);
    LINES.forEach((l, i) => sel.feed(i, l));
    sel.trim(8);
    expect(sel.kept).toEqual([8]);
  });
});

describe('log line colours', () => {
  it('colours the source of a multi-pod line, the same pod the same colour', () => {
    const segs = baseSegments('web-1/nginx hello', { prefixed: true, structured: false });
    expect(segs).toEqual([{ text: 'web-1/nginx ', color: sourceColor('web-1') }, { text: 'hello' }]);
    expect(sourceColor('web-1')).toBe(sourceColor('web-1'));
  });

  it('colours the level and dims keys of a structured line', () => {
    const segs = baseSegments('ERROR 12:00:01 db down retry=3', { prefixed: false, structured: true });
    expect(segs).toEqual([
      { text: 'ERROR', color: 'red' },
      { text: ' ' },
      { text: '12:00:01 db down ' },
      { text: 'retry=', dim: true },
      { text: '3' },
    ]);
  });

  it('highlights every match, across runs', () => {
    const segs = highlight([{ text: 'abc', color: 'red' }, { text: 'dab' }], /ab/i);
    expect(segs).toEqual([
      { text: 'ab', color: 'red', inverse: true },
      { text: 'c', color: 'red' },
      { text: 'd' },
      { text: 'ab', inverse: true },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe('abcdab');
    expect(highlight([{ text: 'x' }], undefined)).toEqual([{ text: 'x' }]);
  });
});

describe('levelOf', () => {
  it('finds the level of JSON and logfmt lines, and of other level keys by parsing', async () => {
    const { levelOf } = await import('../../../source/ui/logs/filter.ts');
    expect(levelOf('{"ts":1,"level":"warn","msg":"x"}')).toBe('warn');
    expect(levelOf('{"severity": "ERROR"}')).toBe('ERROR');
    expect(levelOf('{"level":30,"msg":"pino"}')).toBe('30');
    expect(levelOf('ts=1 level=debug msg=x')).toBe('debug');
    expect(levelOf('{"log.level":"info"}')).toBe('info');
    expect(levelOf('plain text with level in it')).toBeUndefined();
  });
});
