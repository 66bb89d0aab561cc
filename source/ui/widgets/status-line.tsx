import { Box, Text } from 'ink';
import type { Toast } from '../state/types.ts';
import { truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/** The last line: a toast when there is one, else a short reminder of the main keys. */
export function StatusLine({
  toast,
  warning,
  width,
  maxLines = 1,
}: {
  toast: Toast | null;
  warning?: string;
  width: number;
  maxLines?: number;
}) {
  const theme = useTheme();
  if (toast) {
    const color = toast.level === 'error' ? theme.error : toast.level === 'success' ? theme.ok : theme.accent;
    const mark = toast.level === 'error' ? '✗ ' : toast.level === 'success' ? '✓ ' : '';
    let lines = toast.text.split('\n');
    if (lines.length > maxLines) lines = [...lines.slice(0, maxLines - 1), `… ${lines.length - maxLines + 1} more`];
    return (
      <Box flexDirection="column">
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate" color={color}>
            {truncate(` ${i === 0 ? mark : '  '}${l}`, width)}
          </Text>
        ))}
      </Box>
    );
  }
  if (warning)
    return (
      <Text wrap="truncate" color={theme.warn}>
        {truncate(` ⚠ ${warning}`, width)}
      </Text>
    );
  return (
    <Text wrap="truncate" color={theme.muted}>
      {truncate(' <?> help  <:> command  </> filter  <esc> back  <q> quit', width)}
    </Text>
  );
}
