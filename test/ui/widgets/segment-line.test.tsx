import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { BoxLine } from '../../../source/ui/widgets/frame.tsx';
import { SegmentLine } from '../../../source/ui/widgets/segment-line.tsx';
import { ThemeProvider } from '../../../source/ui/theme-context.tsx';
import { noColorTheme } from '../../../source/ui/theme.ts';

const frame = (node: React.ReactElement) => {
  const r = render(<ThemeProvider theme={noColorTheme}>{node}</ThemeProvider>);
  const out = r.lastFrame() ?? '';
  r.unmount();
  return out;
};

describe('a log line', () => {
  it('is framed at the full width like a BoxLine, without padding the text', () => {
    for (const text of ['firehose line 1 of a busy log stream', 'x'.repeat(60), '']) {
      expect(frame(<SegmentLine width={40} segments={[{ text }]} />)).toBe(
        frame(<BoxLine width={40} text={' ' + text} />),
      );
    }
  });

  it('cuts styled runs to the width with …, the right border at the edge', () => {
    const out = frame(
      <SegmentLine
        width={30}
        segments={[{ text: 'web-1 ', color: 'cyan' }, { text: 'GET /healthz 200 and a long tail' }]}
      />,
    );
    expect(out).toBe('│ web-1 GET /healthz 200 and…│');
    expect(frame(<SegmentLine width={30} segments={[{ text: 'web-1 ', color: 'cyan' }, { text: 'ok' }]} />)).toBe(
      `│ web-1 ok${' '.repeat(19)}│`,
    );
  });
});
