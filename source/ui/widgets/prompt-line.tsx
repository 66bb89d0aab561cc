import { Text } from 'ink';
import type { PromptState } from '../state/types.ts';
import { truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/** The `:` command or `/` filter being typed, a block cursor, and the grey Tab completion. */
export function PromptLine({ prompt, width }: { prompt: PromptState; width: number }) {
  const theme = useTheme();
  const sigil = prompt.kind === 'command' ? ':' : '/';
  const color = prompt.kind === 'command' ? theme.promptCommand : theme.promptFilter;
  const rest = prompt.suggestion?.startsWith(prompt.text) ? prompt.suggestion.slice(prompt.text.length) : '';
  // Keep the end of a long line visible.
  const room = width - 4 - rest.length;
  const text = prompt.text.length > room ? '…' + prompt.text.slice(prompt.text.length - room + 1) : prompt.text;
  return (
    <Text wrap="truncate">
      <Text color={color} bold>{` ${sigil}`}</Text>
      <Text color={color}>{text}</Text>
      <Text inverse>{rest ? rest[0] : ' '}</Text>
      <Text color={theme.muted}>{truncate(rest.slice(1), Math.max(0, width - 3 - text.length))}</Text>
    </Text>
  );
}
