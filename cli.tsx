import { Command, Option } from 'commander';

// Loaded on demand so `skiff --version` and `--help` start fast.
const commands = () => import('./source/cluster/commands.ts');

const program = new Command();
program
  .name('skiff')
  .description('A k9s-style terminal explorer for Kubernetes, with its own local cluster engine.')
  .version('0.1.0', '--version')
  .option('--context <name>', 'kubeconfig context to use (default: the local skiff engine)')
  .option('--kubeconfig <path>', 'kubeconfig file to read')
  .option('-n, --namespace <ns>', 'namespace(s) to start in: NS or NS1,NS2 (several at once)')
  .option('-A, --all-namespaces', 'start in all namespaces')
  .option('--readonly', 'disable every action that changes the cluster')
  .option('--command <resource>', 'resource view to open first, e.g. deploy')
  .action(async (opts) => {
    const { startTui } = await import('./source/cluster/tui-entry.ts');
    process.exitCode = await startTui(opts);
  });

program
  .command('engine')
  .description('run the local cluster engine in the foreground')
  .option('--home <dir>', 'state directory (default $SKIFF_HOME or ~/.skiff)')
  .addOption(new Option('--port <port>', 'API port (default 6443 when free)').argParser(Number))
  .action(async (opts) => (await import('./source/cluster/run-engine.ts')).runEngine(opts));

const cluster = program.command('cluster').description('manage the local cluster daemon');
for (const [name, desc] of [
  ['up', 'start the local cluster and wait until its nodes are Ready'],
  ['down', 'stop the local cluster (state is kept)'],
  ['status', 'show whether the local cluster runs'],
  ['reset', 'stop the local cluster and delete all of its state'],
] as const) {
  cluster
    .command(name)
    .description(desc)
    .option('--home <dir>', 'state directory (default $SKIFF_HOME or ~/.skiff)')
    .action(async (opts) => {
      process.exitCode = await (await commands()).runCluster(name, opts);
    });
}

const node = program.command('node').description('simulate node failures in the local cluster');
for (const [name, desc] of [
  ['stop', 'stop a node: its containers stop and it goes NotReady'],
  ['start', 'start a stopped node again'],
] as const) {
  node
    .command(`${name} <node>`)
    .description(desc)
    .option('--home <dir>', 'state directory (default $SKIFF_HOME or ~/.skiff)')
    .action(async (nodeName: string, opts) => {
      process.exitCode = await (await commands()).runNode(name, nodeName, opts);
    });
}

await program.parseAsync(process.argv);
