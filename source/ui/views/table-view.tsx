import React, { memo, useCallback, useMemo, useSyncExternalStore } from 'react';
import { Box } from 'ink';
import { since } from '../../describe/age.ts';
import type { Row } from '../../client/table-cache.ts';
import type { Controller } from '../controller.ts';
import { useNow } from '../hooks/use-now.ts';
import type { ScreenLayout } from '../layout.ts';
import type { TableViewState } from '../state/types.ts';
import type { DisplayColumn } from '../table/columns.ts';
import { cellValue, scrollTop, selectedIndex } from '../table/derive.ts';
import { formatLine, layoutColumns } from '../table/format.ts';
import { rowTone, type Tone } from '../table/status.ts';
import { toneColor, useTheme } from '../theme-context.tsx';
import { BoxLine, Frame, type TitlePart } from '../widgets/frame.tsx';

const RowLine = memo(function RowLine({
  width,
  text,
  tone,
  selected,
}: {
  width: number;
  text: string;
  tone: Tone;
  selected: boolean;
}) {
  const theme = useTheme();
  const color = toneColor(theme, tone);
  if (selected) {
    return theme.colour ? (
      <BoxLine width={width} text={text} color={theme.selectionFg} backgroundColor={color ?? theme.selectionBg} />
    ) : (
      <BoxLine width={width} text={text} inverse />
    );
  }
  return <BoxLine width={width} text={text} color={color} />;
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

export function TableView({ controller, view, layout }: { controller: Controller; view: TableViewState; layout: ScreenLayout }) {
  const theme = useTheme();
  const source = controller.sourceFor(view);
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const model = controller.tableModel(view);
  const width = layout.width;
  const contentWidth = width - 3; // borders and one space of left padding
  const cols = useMemo(() => layoutColumns(model.columns, model.rows, contentWidth), [model, contentWidth]);

  const sel = selectedIndex(model.rows, view.selectedUid, view.selectedIndex);
  const top = scrollTop(view.top, sel, layout.tableRows, model.rows.length);
  const visible = model.rows.slice(top, top + layout.tableRows);

  const ageCol = model.columns.find((c) => c.isAge);
  const ageKey = useCallback(
    (t: number) => (ageCol ? visible.map((r) => since(r.object?.metadata?.creationTimestamp, t)).join() : ''),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ageCol, top, model, layout.tableRows],
  );
  const now = useNow(!!ageCol && visible.length > 0, ageKey);

  const ns = view.namespace ?? 'all';
  const info = controller.session?.registry.get(view.resource);
  const kindTitle = resourceTitle(view.resource, info?.kind);
  const count = model.rows.length === model.total ? `${model.total}` : `${model.rows.length}/${model.total}`;
  const title: TitlePart[] = [
    { text: `${kindTitle}(${info?.namespaced ? ns : view.resource === 'contexts' ? 'kubeconfig' : 'cluster'})` },
    { text: `[${snapshot.state === 'loading' && snapshot.version <= 1 ? '…' : count}]`, color: theme.accent },
  ];
  if (view.scopeLabel) title.push({ text: ` ${view.scopeLabel}`, color: theme.keyHint });
  const selector = [view.labelSelector && !view.scopeLabel ? view.labelSelector : '', view.labelFilter ?? ''].filter(Boolean).join(',');
  if (selector) title.push({ text: ` <${selector}>`, color: theme.keyHint });
  if (view.filter) title.push({ text: ` </${view.filter}>`, color: theme.promptFilter });
  if (snapshot.state === 'reconnecting') title.push({ text: ' ⚠ reconnecting', color: theme.warn });

  const sortMark = (c: DisplayColumn) => (view.sort?.column === c.name ? (view.sort.desc ? '↓' : '↑') : '');
  const headerText = ' ' + formatLine(model.columns.map((c) => c.name + sortMark(c)), cols, contentWidth);

  const body: React.ReactNode[] = visible.map((row, i) => (
    <RowLine
      key={row.uid}
      width={width}
      text={' ' + formatLine(cellsAt(row, model.columns, now), cols, contentWidth)}
      tone={rowTone(row, model.columns)}
      selected={top + i === sel}
    />
  ));
  if (visible.length === 0) {
    const msg =
      snapshot.state === 'error'
        ? { text: ` ${snapshot.error ?? 'error'}`, color: theme.error }
        : snapshot.state === 'loading'
          ? { text: ' Loading…', color: theme.muted }
          : { text: model.total ? ' No rows match the filter' : ' Nothing here yet', color: theme.muted };
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
