import React, { memo, useCallback, useContext, useMemo, useRef, useSyncExternalStore } from 'react';
import { Box } from 'ink';
import { since } from '../../describe/age.ts';
import type { Row } from '../../client/table-cache.ts';
import type { Controller } from '../controller.ts';
import { useAgeTick } from '../hooks/use-age-tick.ts';
import { CellPatcherContext, type CellEdit } from '../screen/cell-patch.ts';
import { msUntilAgeChanges } from '../table/age-tick.ts';
import { tableBodyTop, type ScreenLayout } from '../layout.ts';
import type { TableViewState } from '../state/types.ts';
import type { DisplayColumn } from '../table/columns.ts';
import { cellValue, scrollTop, selectedIndex } from '../table/derive.ts';
import { ageColumnSpan, formatLine, layoutNatural } from '../table/format.ts';
import { rowTone, type Tone } from '../table/status.ts';
import { emptyHint } from '../table/empty-hint.ts';
import { toneColor, useTheme } from '../theme-context.tsx';
import { BoxLine, Frame, type TitlePart } from '../widgets/frame.tsx';

const RowLine = memo(function RowLine({
  width,
  text,
  tone,
  selected,
  cut,
}: {
  width: number;
  text: string;
  tone: Tone;
  selected: boolean;
  cut?: readonly [number, number];
}) {
  const theme = useTheme();
  const color = toneColor(theme, tone);
  if (selected) {
    return theme.colour ? (
      <BoxLine
        width={width}
        text={text}
        color={theme.selectionFg}
        backgroundColor={color ?? theme.selectionBg}
        cut={cut}
      />
    ) : (
      <BoxLine width={width} text={text} inverse cut={cut} />
    );
  }
  return <BoxLine width={width} text={text} color={color} cut={cut} />;
});

function cellsAt(row: Row, columns: DisplayColumn[], now: number): string[] {
  return columns.map((c) => {
    if (c.isAge) {
      const ts = row.object?.metadata?.creationTimestamp;
      if (ts) return since(ts, now);
    }
    return cellValue(row, c);
  });
}

/** `ConfigMaps` from the kind when the plural is the kind + s, else the capitalised plural. */
export function resourceTitle(resource: string, kind?: string): string {
  const plural = resource.split('.')[0];
  if (kind && `${kind}s`.toLowerCase() === plural) return `${kind}s`;
  return plural.charAt(0).toUpperCase() + plural.slice(1);
}

export function TableView({
  controller,
  view,
  layout,
}: {
  controller: Controller;
  view: TableViewState;
  layout: ScreenLayout;
}) {
  const theme = useTheme();
  const source = controller.sourceFor(view);
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const model = controller.tableModel(view);
  const width = layout.width;
  const contentWidth = width - 3; // borders and one space of left padding
  const cols = useMemo(() => layoutNatural(model.columns, model.natural, contentWidth), [model, contentWidth]);

  const sel = selectedIndex(model.rows, view.selectedUid, view.selectedIndex);
  const top = scrollTop(view.top, sel, layout.tableRows, model.rows.length);
  const visible = model.rows.slice(top, top + layout.tableRows);

  const ageCol = model.columns.find((c) => c.isAge);
  // Ages on the server's timeline: a client clock behind the server would print `<invalid>`.
  const serverClock = controller.session?.transport.serverClock;
  const now = Date.now() + (serverClock?.offsetMs ?? 0);
  const ageKey = useCallback(
    (t: number) =>
      ageCol
        ? visible.map((r) => since(r.object?.metadata?.creationTimestamp, t + (serverClock?.offsetMs ?? 0))).join()
        : '',
    // `visible` is a new array every render: key on what it is cut from instead.
    [ageCol, top, model, layout.tableRows, serverClock],
  );
  const ageNext = useCallback(
    (t: number) => {
      let next = Infinity;
      const server = t + (serverClock?.offsetMs ?? 0);
      for (let i = top; i < Math.min(model.rows.length, top + layout.tableRows); i++) {
        next = Math.min(next, msUntilAgeChanges(model.rows[i].object?.metadata?.creationTimestamp, server));
      }
      return next;
    },
    [top, model, layout.tableRows, serverClock],
  );

  // A tick that only changes ages writes the AGE cells straight to the screen (no render) when it
  // can. `shown` holds each visible row's text as last drawn, by render or patch: the patch is
  // checked against the whole row, so it lands only where the screen shows that very row.
  const patcher = useContext(CellPatcherContext);
  const ageCut = useMemo(() => ageColumnSpan(model.columns, cols), [model.columns, cols]);
  const lineOf = (row: Row, t: number) =>
    (view.marked?.includes(row.name) ? '*' : ' ') + formatLine(cellsAt(row, model.columns, t), cols, contentWidth);
  const lines = visible.map((row) => lineOf(row, now));
  const shown = useRef<string[]>([]);
  shown.current = lines;
  const drawAges = (t: number): boolean => {
    if (!patcher || !ageCut || controller.state.dialog) return false;
    const server = t + (serverClock?.offsetMs ?? 0);
    const y0 = tableBodyTop(layout);
    const [from, to] = ageCut;
    const after = shown.current.map((before, i) => {
      const age = lineOf(visible[i], server).slice(from, to);
      return before.slice(0, from) + age + before.slice(to);
    });
    const edits: CellEdit[] = [];
    after.forEach((text, i) => {
      const before = shown.current[i];
      if (text !== before) edits.push({ row: y0 + i, col: 1, before, after: text, span: ageCut });
    });
    if (!patcher.patch(edits)) return false;
    shown.current = after;
    return true;
  };
  useAgeTick(!!ageCol && visible.length > 0, ageKey, ageNext, drawAges);

  const ns = view.namespace ?? 'all';
  const info = controller.session?.registry.get(view.resource);
  const kindTitle = resourceTitle(view.resource, info?.kind);
  const count = model.rows.length === model.total ? `${model.total}` : `${model.rows.length}/${model.total}`;
  const title: TitlePart[] = [
    {
      text: `${kindTitle}(${info?.namespaced || (view.virtual && view.virtual.kind !== 'explain') ? ns : view.resource === 'contexts' ? 'kubeconfig' : view.virtual ? 'schema' : 'cluster'})`,
    },
    { text: `[${snapshot.state === 'loading' && snapshot.version <= 1 ? '…' : count}]`, color: theme.accent },
  ];
  if (view.scopeLabel) title.push({ text: ` ${view.scopeLabel}`, color: theme.keyHint });
  const selector = [view.labelSelector && !view.scopeLabel ? view.labelSelector : '', view.labelFilter ?? '']
    .filter(Boolean)
    .join(',');
  if (selector) title.push({ text: ` <${selector}>`, color: theme.keyHint });
  if (view.filter) title.push({ text: ` </${view.filter}>`, color: theme.promptFilter });
  if (snapshot.state === 'reconnecting') title.push({ text: ' ⚠ reconnecting', color: theme.warn });
  else if (snapshot.notice) title.push({ text: ` ⚠ ${snapshot.notice}`, color: theme.warn });

  const sortMark = (c: DisplayColumn) => (view.sort?.column === c.name ? (view.sort.desc ? '↓' : '↑') : '');
  const headerText =
    ' ' +
    formatLine(
      model.columns.map((c) => c.name + sortMark(c)),
      cols,
      contentWidth,
    );

  const body: React.ReactNode[] = visible.map((row, i) => (
    <RowLine
      key={row.uid}
      width={width}
      text={lines[i]}
      tone={view.marked?.includes(row.name) ? 'warn' : rowTone(row, model.columns)}
      selected={top + i === sel}
      cut={ageCut}
    />
  ));
  if (visible.length === 0) {
    const msg =
      snapshot.state === 'error'
        ? { text: ` ${snapshot.error ?? 'error'}`, color: theme.error }
        : snapshot.state === 'loading'
          ? { text: ' Loading…', color: theme.muted }
          : {
              text: ` ${
                model.total
                  ? 'No rows match the filter (esc clears it)'
                  : emptyHint({
                      resource: view.resource,
                      plural: info?.plural ?? view.resource,
                      namespace: view.namespace,
                      namespaced: !!info?.namespaced,
                      readonly: controller.state.readonly,
                      scope: view.scopeLabel,
                    })
              }`,
              color: theme.muted,
            };
    body.push(<BoxLine key="empty" width={width} text={msg.text} color={msg.color} />);
  }
  while (body.length < layout.tableRows) body.push(<BoxLine key={`pad${body.length}`} width={width} text="" />);

  return (
    <Box flexDirection="column" height={layout.boxRows}>
      <Frame width={width} title={title}>
        <BoxLine width={width} text={headerText} color={theme.header} bold />
        {body}
      </Frame>
    </Box>
  );
}
