import React from 'react';
import { Text } from 'ink';
import type { Toast } from '../state/types.ts';
import { truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/** The last line: a toast when there is one, else a short reminder of the main keys. */
export function StatusLine({ toast, warning, width }: { toast: Toast | null; warning?: string; width: number }) {
  const theme = useTheme();
  if (toast) {
    const color = toast.level === 'error' ? theme.error : toast.level === 'success' ? theme.ok : theme.accent;
    const mark = toast.level === 'error' ? '✗ ' : toast.level === 'success' ? '✓ ' : '';
    return <Text wrap="truncate" color={color}>{truncate(` ${mark}${toast.text}`, width)}</Text>;
  }
  if (warning) return <Text wrap="truncate" color={theme.warn}>{truncate(` ⚠ ${warning}`, width)}</Text>;
  return <Text wrap="truncate" color={theme.muted}>{truncate(' <?> help  <:> command  </> filter  <esc> back  <q> quit', width)}</Text>;
}
