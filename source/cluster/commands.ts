import { skiffHome } from './home.ts';
import { api, down, readEngineInfo, reset, status, up } from './daemon.ts';

export async function runCluster(cmd: 'up' | 'down' | 'status' | 'reset', opts: { home?: string }): Promise<number> {
  const home = skiffHome(opts.home);
  try {
    switch (cmd) {
      case 'up': {
        const r = await up(home);
        console.log(
          r.alreadyRunning ? `skiff cluster is already running at ${r.url}` : `skiff cluster is up at ${r.url}`,
        );
        console.log(`kubeconfig: ${r.kubeconfig}`);
        if (r.userKubeconfig)
          console.log(`context "skiff" set as current in ${r.userKubeconfig}; try: kubectl get nodes`);
        return 0;
      }
      case 'down':
        console.log(
          (await down(home))
            ? 'skiff cluster stopped (state kept; `skiff cluster up` resumes it)'
            : 'skiff cluster is not running',
        );
        return 0;
      case 'status': {
        const s = await status(home);
        if (!s.running) {
          console.log(`skiff cluster is not running (home ${home})`);
          return 3;
        }
        console.log(`skiff cluster is running at ${s.url} (pid ${s.pid}, home ${home})`);
        for (const n of s.nodes ?? []) console.log(`  node ${n.name}: ${n.ready ? 'Ready' : 'NotReady'}`);
        return 0;
      }
      case 'reset':
        await reset(home);
        console.log(`skiff cluster reset: state under ${home} removed`);
        return 0;
    }
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

/** `skiff node stop|start NAME` through the engine's admin API. */
export async function runNode(cmd: 'stop' | 'start', node: string, opts: { home?: string }): Promise<number> {
  const home = skiffHome(opts.home);
  const info = readEngineInfo(home);
  if (!info) {
    console.error('error: the skiff cluster is not running (start it with `skiff cluster up`)');
    return 1;
  }
  const { status: code, body } = await api<{ message?: string }>(
    home,
    info.url,
    `/skiff/v1/nodes/${encodeURIComponent(node)}/${cmd}`,
    'POST',
  );
  if (code !== 200) {
    console.error(`error: ${body.message ?? `HTTP ${code}`}`);
    return 1;
  }
  console.log(body.message ?? `node ${node} ${cmd === 'stop' ? 'stopped' : 'started'}`);
  return 0;
}
