import React from 'react';
import { Box } from 'ink';
import type { ScreenLayout } from '../layout.ts';
import { sanitize } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';
import { BoxLine, Frame, type TitlePart } from '../widgets/frame.tsx';

/** A scrollable box of text lines (YAML, describe, help): only the visible window is rendered. */
export function TextView({
  title,
  lines,
  top,
  layout,
  loading,
  colorLine,
}: {
  title: TitlePart[];
  lines: string[];
  top: number;
  layout: ScreenLayout;
  loading?: boolean;
  colorLine?: (line: string) => string | undefined;
}) {
  const theme = useTheme();
  const height = layout.innerRows;
  const start = Math.max(0, Math.min(top, lines.length - height));
  const visible = lines.slice(start, start + height);
  const body = visible.map((l, i) => (
    <BoxLine key={start + i} width={layout.width} text={' ' + sanitize(l)} color={colorLine?.(l)} />
  ));
  if (loading && !lines.length) body.push(<BoxLine key="loading" width={layout.width} text=" Loading…" color={theme.muted} />);
  while (body.length < height) body.push(<BoxLine key={`pad${body.length}`} width={layout.width} text="" />);
  const more = lines.length > height ? [{ text: ` ${start + 1}-${start + visible.length}/${lines.length}`, color: theme.muted }] : [];
  return (
    <Box flexDirection="column" height={layout.boxRows}>
      <Frame width={layout.width} title={[...title, ...more]}>
        {body}
      </Frame>
    </Box>
  );
}
