import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../source/client/lines.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('emits each complete line once, joining lines split across chunks', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push(bytes('{"type":"ADDED"}\n{"ty'));
    expect(lines).toEqual(['{"type":"ADDED"}']);
    s.push(bytes('pe":"MODIFIED"}\n\nlast'));
    expect(lines).toEqual(['{"type":"ADDED"}', '{"type":"MODIFIED"}', '']);
    s.flush();
    expect(lines).toEqual(['{"type":"ADDED"}', '{"type":"MODIFIED"}', '', 'last']);
    s.flush();
    expect(lines).toHaveLength(4);
  });

  it('keeps a multi-byte character split between chunks whole', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const all = bytes('naïve ✓\n');
    const cut = all.indexOf(0xe2) + 1; // inside the three bytes of ✓
    s.push(all.subarray(0, cut));
    s.push(all.subarray(cut));
    expect(lines).toEqual(['naïve ✓']);
  });
});
