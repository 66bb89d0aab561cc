import { useSyncExternalStore } from 'react';
import { Box } from 'ink';
import type { Lines, TextDoc } from '../docs.ts';
import type { ScreenLayout } from '../layout.ts';
import type { TextViewState } from '../state/types.ts';
import { sanitize } from '../table/format.ts';
import { toneColor, useTheme } from '../theme-context.tsx';
import { rolloutLineTone } from '../features/rollout-text.ts';
import { BoxLine, Frame, type TitlePart } from '../widgets/frame.tsx';
import { SegmentLine } from '../widgets/segment-line.tsx';
import type { Segment } from '../logs/segments.ts';

/** The first visible line: `top`, clamped so the box stays full. */
export function clampTop(top: number, count: number, height: number): number {
  return Math.max(0, Math.min(top, count - height));
}

/** A scrollable box of text lines (YAML, describe, logs, help): only the visible window is rendered. */
export function TextView({
  title,
  lines,
  top,
  layout,
  loading,
  error,
  highlight,
  colorLine,
  segments,
}: {
  title: TitlePart[];
  lines: Lines;
  top: number;
  layout: ScreenLayout;
  loading?: boolean;
  error?: string;
  highlight?: number;
  colorLine?: (line: string) => string | undefined;
  segments?: (line: string) => Segment[];
}) {
  const theme = useTheme();
  const height = layout.innerRows;
  const start = clampTop(top, lines.length, height);
  const visible = lines.slice(start, start + height);
  const body = visible.map((l, i) =>
    segments && start + i !== highlight ? (
      <SegmentLine key={start + i} width={layout.width} segments={segments(l)} />
    ) : (
      <BoxLine
        key={start + i}
        width={layout.width}
        text={' ' + sanitize(l)}
        color={start + i === highlight ? undefined : colorLine?.(l)}
        inverse={start + i === highlight}
      />
    ),
  );
  if (error) body.unshift(<BoxLine key="error" width={layout.width} text={` ${error}`} color={theme.error} />);
  if (loading && !lines.length)
    body.push(<BoxLine key="loading" width={layout.width} text=" Loading…" color={theme.muted} />);
  while (body.length < height) body.push(<BoxLine key={`pad${body.length}`} width={layout.width} text="" />);
  const more =
    lines.length > height
      ? [{ text: ` ${start + 1}-${start + visible.length}/${lines.length}`, color: theme.muted }]
      : [];
  return (
    <Box flexDirection="column" height={layout.boxRows}>
      <Frame width={layout.width} title={[...title, ...more]}>
        {body.slice(0, height)}
      </Frame>
    </Box>
  );
}

const MODE_TITLE: Record<TextViewState['mode'], string> = {
  describe: 'Describe',
  yaml: 'YAML',
  logs: 'Logs',
  rollout: 'Rollout',
  traffic: 'Traffic',
  diff: 'Diff',
  pulses: 'Pulses',
};

/** A text view backed by a live document (describe, YAML, logs). */
export function DocView({ view, doc, layout }: { view: TextViewState; doc: TextDoc; layout: ScreenLayout }) {
  const theme = useTheme();
  const snap = useSyncExternalStore(doc.subscribe, doc.getSnapshot);
  const title: TitlePart[] = [{ text: MODE_TITLE[view.mode] }, { text: ` ${view.title}`, color: theme.keyHint }];
  if (snap.status)
    title.push({ text: ` [${snap.status}]`, color: snap.status === 'deleted' ? theme.error : theme.accent });
  if (view.search) title.push({ text: ` </${view.search}>`, color: theme.promptFilter });
  if (view.wrap) title.push({ text: ' wrap', color: theme.muted });
  let lines = snap.lines;
  let top = view.follow ? Math.max(0, snap.lines.length - layout.innerRows) : view.top;
  if (view.wrap) {
    lines = wrapWindow(snap.lines, top, layout.innerRows, layout.width - 3, !!view.follow);
    top = 0;
  }
  return (
    <TextView
      title={title}
      lines={lines}
      top={top}
      layout={layout}
      loading={snap.loading}
      error={snap.error}
      highlight={view.match}
      segments={view.wrap ? undefined : snap.segments}
      colorLine={
        view.mode === 'yaml'
          ? yamlColor(theme.accent)
          : view.mode === 'rollout'
            ? (l) => toneColor(theme, rolloutLineTone(l) ?? 'normal')
            : view.mode === 'diff'
              ? diffColor(theme)
              : undefined
      }
    />
  );
}

/** Side-by-side diff rows: the mark between the columns says what changed. */
function diffColor(theme: ReturnType<typeof useTheme>) {
  return (line: string) => (/ [|<>] /.test(line) && /^.{10,} [|<>] /.test(line) ? theme.warn : undefined);
}

function yamlColor(keyColor?: string) {
  return (line: string) => (/^\s*(- )?[\w.\-/]+:(\s|$)/.test(line) ? keyColor : undefined);
}

/** The display rows for `height` rows of wrapped lines, from `top` (or ending at the last line). */
export function wrapWindow(lines: Lines, top: number, height: number, width: number, fromEnd: boolean): string[] {
  const chunks = (l: string) => {
    const clean = sanitize(l);
    const out: string[] = [];
    for (let i = 0; i < clean.length; i += width) out.push(clean.slice(i, i + width));
    return out.length ? out : [''];
  };
  const rows: string[] = [];
  if (fromEnd) {
    for (let i = lines.length - 1; i >= 0 && rows.length < height; i--) rows.unshift(...chunks(lines.at(i) ?? ''));
    return rows.slice(Math.max(0, rows.length - height));
  }
  for (let i = top; i < lines.length && rows.length < height; i++) rows.push(...chunks(lines.at(i) ?? ''));
  return rows.slice(0, height);
}
