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
}: {
  width: number;
  text: string;
  color?: string;
  backgroundColor?: string;
  inverse?: boolean;
  bold?: boolean;
}) {
  const theme = useTheme();
  const inner = width - 2;
  const body = truncate(text, inner);
  return (
    <Text wrap="truncate">
      <Text color={theme.border}>│</Text>
      <Text color={color} backgroundColor={backgroundColor} inverse={inverse} bold={bold}>
        {body + ' '.repeat(inner - body.length)}
      </Text>
      <Text color={theme.border}>│</Text>
    </Text>
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
