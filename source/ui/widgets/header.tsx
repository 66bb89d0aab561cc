import { Box, Text } from 'ink';
import type { Binding } from '../keys/keymap.ts';
import { keyLabel } from '../keys/parse.ts';
import type { HeaderInfo } from '../state/types.ts';
import { pad, truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

const LOGO = [
  '     _     _   __   __ ',
  ' ___| |__ (_) / _| / _|',
  '(_-<| / / | ||  _||  _|',
  '/__/|_\\_\\|_||_|  |_|  ',
  '                       ',
];

export interface HeaderProps {
  info: HeaderInfo;
  width: number;
  rows: number;
  /** `<0> all`, `<1> default`, ... shown when the view is namespaced. */
  namespaces?: Array<[key: string, name: string]>;
  scope: string;
  hints: Binding[];
}

type Cell = { key: string; label: string };

/** Context info on the left, then namespace shortcuts and key hints in columns. */
export function Header({ info, width, rows, namespaces, scope, hints }: HeaderProps) {
  const theme = useTheme();
  if (rows <= 0) return null;
  if (rows === 1) {
    const text = ` ${info.context ?? '?'} │ ${scope} │ ${info.version ?? ''} │ <?> help  <:> command  <q> quit`;
    return (
      <Text wrap="truncate" color={theme.muted}>
        {truncate(text, width)}
      </Text>
    );
  }
  const infoLines: Array<[string, string]> = [
    ['Context:', info.context ?? ''],
    ['Cluster:', info.cluster ?? ''],
    ['User:', info.user ?? ''],
    ['K8s Rev:', info.version ?? ''],
    ['Scope:', scope],
  ];
  const infoWidth = Math.min(Math.max(24, ...infoLines.map(([, v]) => v.length + 10)), Math.floor(width * 0.4));
  const logo = width >= 120 ? LOGO : [];
  let budget = width - infoWidth - (logo.length ? LOGO[0].length + 1 : 0);

  const columns: Cell[][] = [];
  const addColumns = (cells: Cell[]) => {
    for (let i = 0; i < cells.length; i += rows) {
      const col = cells.slice(i, i + rows);
      const w = Math.max(...col.map((c) => c.key.length + 1 + c.label.length)) + 2;
      if (w > budget) return;
      budget -= w;
      columns.push(col);
    }
  };
  if (namespaces?.length) addColumns(namespaces.slice(0, rows).map(([k, n]) => ({ key: `<${k}>`, label: n })));
  addColumns(hints.map((b) => ({ key: keyLabel(b.keys[0]), label: b.label })));
  const colWidths = columns.map((col) => Math.max(...col.map((c) => c.key.length + 1 + c.label.length)) + 2);
  const used = infoWidth + colWidths.reduce((a, b) => a + b, 0);

  return (
    <Box flexDirection="column" height={rows}>
      {Array.from({ length: rows }, (_, r) => (
        <Text key={r} wrap="truncate">
          <Text color={theme.accent}>{pad(` ${infoLines[r]?.[0] ?? ''}`, 10)}</Text>
          <Text color={theme.header} bold>
            {pad(infoLines[r]?.[1] ?? '', infoWidth - 10)}
          </Text>
          {columns.map((col, c) => {
            const cell = col[r];
            if (!cell) return <Text key={c}>{' '.repeat(colWidths[c])}</Text>;
            return (
              <Text key={c}>
                <Text color={theme.keyHint}>{cell.key}</Text>
                <Text color={theme.muted}>{pad(' ' + cell.label, colWidths[c] - cell.key.length)}</Text>
              </Text>
            );
          })}
          {logo.length ? (
            <Text color={theme.title}>{' '.repeat(Math.max(0, width - used - LOGO[0].length)) + (logo[r] ?? '')}</Text>
          ) : null}
        </Text>
      ))}
    </Box>
  );
}
