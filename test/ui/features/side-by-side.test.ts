import { describe, expect, it } from 'vitest';
import { diffLines, sideBySide } from '../../../source/ui/features/side-by-side.ts';

describe('diffLines', () => {
  it('keeps common lines, pairs a removed run with an added run as changes', () => {
    const rows = diffLines(['a', 'image: 1', 'c'], ['a', 'image: 2', 'c']);
    expect(rows).toEqual([
      { left: 'a', right: 'a', mark: ' ' },
      { left: 'image: 1', right: 'image: 2', mark: '|' },
      { left: 'c', right: 'c', mark: ' ' },
    ]);
  });
  it('marks lines only on one side', () => {
    expect(diffLines(['a', 'b'], ['a']).map((r) => r.mark)).toEqual([' ', '<']);
    expect(diffLines(['a'], ['a', 'env: x', 'env: y']).map((r) => r.mark)).toEqual([' ', '>', '>']);
    expect(diffLines([], [])).toEqual([]);
  });
  it('lays the rows out in two columns with the mark between', () => {
    const lines = sideBySide(diffLines(['x: 1'], ['x: 2']), 40, ['REVISION 1', 'REVISION 2']);
    expect(lines[0]).toMatch(/^REVISION 1\s+REVISION 2$/);
    expect(lines[2]).toMatch(/^x: 1\s+\| x: 2$/);
    expect(lines[2].indexOf('|')).toBe(19);
  });
});
