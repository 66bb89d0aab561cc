import { Box, Text } from 'ink';
import type { ConnectionState } from '../state/types.ts';
import { truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';
import { Spinner } from './spinner.tsx';

/** What fills the screen before the first table: a spinner while starting, or the error with retry. */
export function Splash({ conn, width, height }: { conn: ConnectionState; width: number; height: number }) {
  const theme = useTheme();
  const padTop = Math.max(0, Math.floor(height / 3) - 1);
  const w = width - 4;
  if (conn.phase === 'error') {
    const detail = (conn.detail ?? '').split('\n').slice(0, Math.max(1, height - padTop - 6));
    return (
      <Box flexDirection="column" height={height} paddingLeft={2} paddingTop={padTop}>
        <Text color={theme.error} bold wrap="truncate">
          {truncate(`✗ ${conn.message ?? 'Error'}`, w)}
        </Text>
        {detail.map((d, i) => (
          <Text key={i} wrap="truncate">
            {truncate(`  ${d}`, w)}
          </Text>
        ))}
        <Text> </Text>
        <Text wrap="truncate">
          <Text color={theme.keyHint}>{'  <r>'}</Text> Retry <Text color={theme.keyHint}>{'<q>'}</Text> Quit
        </Text>
      </Box>
    );
  }
  // While connecting, a credential plugin's stderr (a prompt, a device-code URL) is shown: the user may have to act on it.
  const said = (conn.detail ?? '')
    .split('\n')
    .filter(Boolean)
    .slice(-Math.max(1, height - padTop - 4));
  return (
    <Box flexDirection="column" height={height} paddingLeft={2} paddingTop={padTop}>
      <Spinner label={truncate(conn.message ?? 'Connecting…', w - 2)} />
      {said.map((d, i) => (
        <Text key={i} wrap="truncate">
          {truncate(`  ${d}`, w)}
        </Text>
      ))}
    </Box>
  );
}
