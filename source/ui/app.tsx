import React, { useCallback, useSyncExternalStore } from 'react';
import { Box, useInput } from 'ink';
import type { Controller } from './controller.ts';
import { viewKind, viewResource } from './state/view.ts';
import { useTerminalSize } from './hooks/use-terminal-size.ts';
import { layoutFor } from './layout.ts';
import { topView, type UiState } from './state/types.ts';
import { crumbText } from './state/crumbs.ts';
import type { Theme } from './theme.ts';
import { ThemeProvider, useTheme } from './theme-context.tsx';
import { TableView } from './views/table-view.tsx';
import { DocView, TextView } from './views/text-view.tsx';
import { Crumbs } from './widgets/crumbs.tsx';
import { DialogBox } from './widgets/dialog.tsx';
import { Header } from './widgets/header.tsx';
import { PromptLine } from './widgets/prompt-line.tsx';
import { Splash } from './widgets/splash.tsx';
import { StatusLine } from './widgets/status-line.tsx';

const crumb = crumbText;

/** The root: one key handler for the whole app, the screen laid out from the store. */
export function App({ controller, theme: startTheme }: { controller: Controller; theme: Theme }) {
  const state = useSyncExternalStore(controller.store.subscribe, controller.store.get);
  // A skin from the configuration (hot-reloaded) replaces the one the TUI started with.
  const skin = useSyncExternalStore(controller.config.store.subscribe, () => controller.config.store.get().theme);
  const theme = skin ?? startTheme;
  // The handler only forwards; the controller reads current state itself (no stale closures).
  useInput((input, key) => controller.handleInput(input, key), { isActive: !state.suspended });
  const onResize = useCallback((c: number, r: number) => controller.resize(c, r), [controller]);
  useTerminalSize(onResize);
  return (
    <ThemeProvider theme={theme}>
      <Screen controller={controller} state={state} />
    </ThemeProvider>
  );
}

function Screen({ controller, state }: { controller: Controller; state: UiState }) {
  const theme = useTheme();
  const layout = layoutFor(state);
  if (state.suspended) return null;
  if (state.conn.phase !== 'ready') {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.frameHeight}>
        <Splash conn={state.conn} width={layout.width} height={layout.frameHeight} />
      </Box>
    );
  }
  const view = topView(state);
  const kind = view ? viewKind(view) : 'table';
  const resource = view ? viewResource(view) : undefined;
  const info = resource ? controller.session?.registry.get(resource) : undefined;
  const namespaced = view?.kind === 'table' && !!info?.namespaced;
  const scope =
    view?.kind === 'table'
      ? namespaced || (view.virtual && view.virtual.kind !== 'explain')
        ? (view.namespace ?? 'all')
        : 'cluster'
      : (state.namespace ?? 'all');
  const hints = controller.bindings(kind, resource).filter((b) => b.hint);
  const namespaces: Array<[string, string]> | undefined = namespaced
    ? [['0', 'all'], ...state.recentNamespaces.map((n, i): [string, string] => [String(i + 1), n])]
    : undefined;

  let main: React.ReactNode = null;
  if (view?.kind === 'table') main = <TableView key={view.id} controller={controller} view={view} layout={layout} />;
  else if (view?.kind === 'help') {
    main = (
      <TextView
        title={[
          { text: 'Help' },
          { text: ` ${crumb(state.stack[state.stack.length - 2] ?? view)}`, color: theme.keyHint },
        ]}
        lines={controller.textLines(view)}
        top={view.top}
        layout={layout}
        colorLine={(l) => (/^[A-Z &]+(\s|$)/.test(l) ? theme.accent : undefined)}
      />
    );
  } else if (view?.kind === 'text') {
    main = <DocView key={view.id} view={view} doc={controller.docFor(view)} layout={layout} />;
  }

  return (
    <Box flexDirection="column" width={layout.width} height={layout.frameHeight}>
      <Header
        info={state.header}
        width={layout.width}
        rows={layout.headerRows}
        namespaces={namespaces}
        scope={scope}
        hints={hints}
      />
      {state.prompt ? <PromptLine prompt={state.prompt} width={layout.width} /> : null}
      <Box flexDirection="column" width={layout.width} height={layout.boxRows}>
        {main}
        {state.dialog ? <DialogBox dialog={state.dialog} width={layout.width} height={layout.boxRows} /> : null}
      </Box>
      <Crumbs crumbs={state.stack.map(crumb)} width={layout.width} />
      <StatusLine toast={state.toast} width={layout.width} maxLines={layout.footerRows - 1} />
    </Box>
  );
}
