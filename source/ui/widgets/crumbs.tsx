import { Text } from 'ink';
import { truncate } from '../table/format.ts';
import { useTheme } from '../theme-context.tsx';

/** `<pods> <deploy/web>`: the view stack, the current one highlighted. */
export function Crumbs({ crumbs, width }: { crumbs: string[]; width: number }) {
  const theme = useTheme();
  // Keep the newest crumbs when they do not all fit.
  let shown = crumbs;
  while (shown.length > 1 && shown.reduce((n, c) => n + c.length + 3, 1) > width) shown = shown.slice(1);
  return (
    <Text wrap="truncate">
      {' '}
      {shown.map((c, i) => {
        const last = i === shown.length - 1;
        const text = truncate(`<${c}>`, width - 2);
        return (
          <Text key={i}>
            <Text
              color={last ? (theme.colour ? (theme.crumbFg ?? 'black') : undefined) : theme.accent}
              backgroundColor={last && theme.colour ? (theme.crumbBg ?? theme.keyHint) : undefined}
              inverse={last && !theme.colour}
            >
              {text}
            </Text>
            {last ? '' : ' '}
          </Text>
        );
      })}
    </Text>
  );
}
