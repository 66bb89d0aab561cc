import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.tsx';
import { truncate } from '../table/format.ts';

export interface TitlePart {
  text: string;
  color?: string;
}

/** `┌──── Pods(default)[3] ────┐`, the title centred; parts keep their own colours. */
export function TopBorder({ width, title }: { width: number; title: TitlePart[] }) {
  const theme = useTheme();
  const inner = width - 2;
  let budget = Math.max(0, inner - 2);
  const parts: TitlePart[] = [];
  for (const p of title) {
    if (budget <= 0) break;
    const t = truncate(p.text, budget);
    parts.push({ ...p, text: t });
    budget -= t.length;
  }
  const titleLen = parts.reduce((n, p) => n + p.text.length, 0);
  const padded = titleLen ? titleLen + 2 : 0;
  const left = Math.floor((inner - padded) / 2);
  const right = inner - padded - left;
  return (
    <Text wrap="truncate">
      <Text color={theme.border}>{'┌' + '─'.repeat(left) + (titleLen ? ' ' : '')}</Text>
      {parts.map((p, i) => (
        <Text key={i} color={p.color ?? theme.title} bold={i === 0}>
          {p.text}
        </Text>
      ))}
      <Text color={theme.border}>{(titleLen ? ' ' : '') + '─'.repeat(right) + '┐'}</Text>
    </Text>
  );
}

export function BottomBorder({ width }: { width: number }) {
  const theme = useTheme();
  return <Text color={theme.border}>{'└' + '─'.repeat(width - 2) + '┘'}</Text>;
}

/** A line inside the box: `│` + content padded to the inner width + `│`. */
export function BoxLine({
  width,
  text,
  color,
  backgroundColor,
  inverse,
  bold,
  cut,
}: {
  width: number;
  text: string;
  color?: string;
  backgroundColor?: string;
  inverse?: boolean;
  bold?: boolean;
  /** Characters [from, to) of the text that change more often than the rest (a ticking AGE). */
  cut?: readonly [number, number];
}) {
  const theme = useTheme();
  const inner = width - 2;
  const t = truncate(text, inner);
  const body = t + ' '.repeat(inner - t.length);
  // Sibling texts, not one nested text: Ink measures and tokenizes each text node apart and keeps
  // the results of unchanged ones, and the content alone is usually plain ASCII, which
  // string-width measures without segmenting. A `cut` part is its own node for the same reason.
  const parts =
    cut && cut[0] > 0 && cut[1] <= body.length && cut[0] < cut[1]
      ? [body.slice(0, cut[0]), body.slice(cut[0], cut[1]), body.slice(cut[1])]
      : [body];
  return (
    <Box width={width} flexShrink={0}>
      <Text color={theme.border}>│</Text>
      {parts.map((p, i) =>
        p ? (
          <Text key={i} color={color} backgroundColor={backgroundColor} inverse={inverse} bold={bold} wrap="truncate">
            {p}
          </Text>
        ) : null,
      )}
      <Text color={theme.border}>│</Text>
    </Box>
  );
}

export function Frame({ width, title, children }: { width: number; title: TitlePart[]; children: React.ReactNode }) {
  return (
    <Box flexDirection="column" width={width}>
      <TopBorder width={width} title={title} />
      {children}
      <BottomBorder width={width} />
    </Box>
  );
}
