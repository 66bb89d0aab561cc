import { skiffHome } from './home.ts';

/** Open the TUI: on a named context/kubeconfig, or on the local engine (started if needed). */
export async function startTui(opts: {
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  allNamespaces?: boolean;
  readonly?: boolean;
  command?: string;
}): Promise<number> {
  const { runTui } = await import('../ui/main.tsx');
  const local = !opts.context && !opts.kubeconfig;
  await runTui({
    kubeconfigPath: opts.kubeconfig,
    context: opts.context,
    namespace: opts.namespace,
    allNamespaces: opts.allNamespaces,
    readonly: opts.readonly,
    command: opts.command,
    // Only `skiff cluster up` writes the user's kubeconfig (as kind does); the TUI reads it.
    // The daemon's module loads only for the local engine (the TUI starts it while it loads).
    ensureLocalCluster: local
      ? async () => (await (await import('./daemon.ts')).up(skiffHome(), { mergeUserKubeconfig: false })).kubeconfig
      : undefined,
  });
  const note = local ? (await import('./farewell.ts')).farewell(skiffHome()) : undefined;
  if (note) process.stdout.write(note);
  return 0;
}
