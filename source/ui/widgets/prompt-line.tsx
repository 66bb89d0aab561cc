import { Text } from 'ink';
import { field, splitAtCursor } from '../line-edit.ts';
import type { PromptState } from '../state/types.ts';
import { truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/** The `:` command or `/` filter being typed, a block cursor, and the grey Tab completion. */
export function PromptLine({ prompt, width }: { prompt: PromptState; width: number }) {
  const theme = useTheme();
  const sigil = prompt.kind === 'command' ? ':' : '/';
  const color = prompt.kind === 'command' ? theme.promptCommand : theme.promptFilter;
  const [before, under, after] = splitAtCursor(field(prompt.text, prompt.cursor));
  const atEnd = !after && under === ' ' && prompt.cursor === undefined;
  const rest = atEnd && prompt.suggestion?.startsWith(prompt.text) ? prompt.suggestion.slice(prompt.text.length) : '';
  // Keep the cursor visible on a long line: cut from the left.
  const room = Math.max(1, width - 4 - rest.length - after.length);
  const shownBefore = before.length > room ? '…' + before.slice(before.length - room + 1) : before;
  return (
    <Text wrap="truncate">
      <Text color={color} bold>{` ${sigil}`}</Text>
      <Text color={color}>{shownBefore}</Text>
      <Text inverse>{rest ? rest[0] : under}</Text>
      <Text color={color}>{after}</Text>
      <Text color={theme.muted}>{truncate(rest.slice(1), Math.max(0, width - 3 - shownBefore.length))}</Text>
    </Text>
  );
}
