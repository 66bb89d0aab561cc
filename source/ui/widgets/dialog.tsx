import React from 'react';
import { Box, Text } from 'ink';
import { field, splitAtCursor } from '../line-edit.ts';
import type { Dialog, InputDialog } from '../state/types.ts';
import { pad, truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/** A modal box drawn over the middle of the main area; every line is padded so it covers what is below. */
export function DialogBox({ dialog, width, height }: { dialog: Dialog; width: number; height: number }) {
  const theme = useTheme();
  const w = Math.max(24, Math.min(64, width - 4));
  const inner = w - 4;
  const lines: React.ReactNode[] = [];
  const line = (key: string, text: string, props: { color?: string; bold?: boolean; inverse?: boolean } = {}) => (
    <Text key={key} wrap="truncate" {...props}>
      {pad(text, inner)}
    </Text>
  );
  if (dialog.kind === 'confirm') {
    for (const [i, l] of wrap(dialog.message, inner).entries()) lines.push(line(`m${i}`, l));
    lines.push(line('gap', ''));
    const buttons = ['Cancel', dialog.confirm];
    const btnText = buttons.map((b) => ` ${b} `);
    const used = btnText.reduce((n, b) => n + b.length, 0) + 3;
    lines.push(
      <Text key="buttons" wrap="truncate">
        {' '.repeat(Math.max(0, Math.floor((inner - used) / 2)))}
        {btnText.map((b, i) => (
          <Text key={i}>
            <Text
              inverse={dialog.focus === i}
              color={i === 1 && dialog.danger ? theme.error : undefined}
              bold={dialog.focus === i}
            >
              {b}
            </Text>
            {i < btnText.length - 1 ? '   ' : ''}
          </Text>
        ))}
        {' '.repeat(Math.max(0, inner - used - Math.floor((inner - used) / 2)))}
      </Text>,
    );
  } else if (dialog.kind === 'input') {
    lines.push(line('label', dialog.label));
    lines.push(<InputLine key="input" dialog={dialog} width={inner} accent={theme.accent} />);
    lines.push(line('err', dialog.error ?? '', { color: theme.error }));
    const help = dialog.numeric ? '<enter> OK  <esc> Cancel  <up>/<down>,<+>/<-> step' : '<enter> OK   <esc> Cancel';
    lines.push(line('help', help, { color: theme.muted }));
  } else {
    if (dialog.header) lines.push(line('header', `  ${dialog.header}`, { color: theme.muted }));
    const room = Math.max(1, Math.min(dialog.options.length, height - 6 - (dialog.header ? 1 : 0)));
    const start = Math.max(0, Math.min(dialog.index - room + 1, dialog.options.length - room));
    dialog.options.slice(start, start + room).forEach((o, i) => {
      const selected = start + i === dialog.index;
      lines.push(line(`o${start + i}`, `${selected ? '▶' : ' '} ${o}`, { inverse: selected }));
    });
    lines.push(line('help', '<enter> Choose   <esc> Cancel', { color: theme.muted }));
  }
  const boxHeight = lines.length + 3;
  return (
    <Box
      position="absolute"
      marginTop={Math.max(0, Math.floor((height - boxHeight) / 2))}
      marginLeft={Math.max(0, Math.floor((width - w) / 2))}
      width={w}
      flexDirection="column"
      borderStyle="round"
      borderColor={dialog.kind === 'confirm' && dialog.danger ? theme.error : theme.accent}
    >
      {/* Padding drawn as spaces, not Box padding: Ink leaves padding cells unpainted, so the view below would show through. */}
      {[
        <Text key="title" bold color={theme.title}>
          {pad(truncate(dialog.title, inner), inner)}
        </Text>,
        ...lines,
      ].map((l, i) => (
        <Text key={i} wrap="truncate">
          {' '}
          {l}{' '}
        </Text>
      ))}
    </Box>
  );
}

/** The field: the whole value highlighted while selected (typing replaces it), else a block cursor. */
function InputLine({ dialog, width, accent }: { dialog: InputDialog; width: number; accent?: string }) {
  const room = Math.max(1, width - 3);
  if (dialog.selected && dialog.value) {
    const shown = truncate(dialog.value, room);
    return (
      <Text wrap="truncate">
        <Text color={accent}>{'> '}</Text>
        <Text inverse>{shown}</Text>
        {' '.repeat(Math.max(0, width - 2 - shown.length))}
      </Text>
    );
  }
  const [before, under, after] = splitAtCursor(field(dialog.value, dialog.cursor));
  const shownBefore = before.length > room - 1 ? '…' + before.slice(before.length - room + 2) : before;
  const shownAfter = truncate(after, Math.max(0, room - 1 - shownBefore.length));
  return (
    <Text wrap="truncate">
      <Text color={accent}>{'> '}</Text>
      {shownBefore}
      <Text inverse>{under}</Text>
      {shownAfter}
      {' '.repeat(Math.max(0, width - 3 - shownBefore.length - shownAfter.length))}
    </Text>
  );
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const word of para.split(' ')) {
      if (cur && cur.length + 1 + word.length > width) {
        out.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    out.push(cur);
  }
  return out;
}
