import { Box, Text } from 'ink';
import type { Segment } from '../logs/segments.ts';
import { sanitize, truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/**
 * A framed line drawn in styled runs, cut to the width (a log line). The borders are sibling
 * texts of the content, as in BoxLine: Ink measures each text node apart, and content without the
 * box-drawing borders is usually ASCII, which string-width measures without segmenting. Unlike
 * BoxLine the content is not padded with spaces: a growing box pushes the right border to the edge, so
 * the cells Ink tokenizes per new line are the line's own (a followed log renews every row per frame).
 */
export function SegmentLine({ width, segments }: { width: number; segments: Segment[] }) {
  const theme = useTheme();
  const inner = width - 2;
  const only = segments.length === 1 ? segments[0]! : undefined;
  let content: React.ReactNode;
  if (only && !only.color && !only.dim && !only.inverse) {
    content = truncate(' ' + sanitize(only.text), inner);
  } else {
    let room = inner - 1;
    const parts: Segment[] = [];
    for (const s of segments) {
      if (room <= 0) break;
      const text = sanitize(s.text);
      const cut = text.length > room ? text.slice(0, Math.max(0, room - 1)) + '…' : text;
      parts.push({ ...s, text: cut });
      room -= cut.length;
    }
    content = [
      ' ',
      ...parts.map((p, i) => (
        <Text key={i} color={theme.colour ? p.color : undefined} dimColor={p.dim} inverse={p.inverse}>
          {p.text}
        </Text>
      )),
    ];
  }
  return (
    <Box width={width} flexShrink={0}>
      <Text color={theme.border}>│</Text>
      <Box flexGrow={1}>
        <Text wrap="truncate">{content}</Text>
      </Box>
      <Text color={theme.border}>│</Text>
    </Box>
  );
}
