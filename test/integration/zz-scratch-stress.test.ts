import { it } from 'vitest';
import { get } from 'node:http';
import { startTestEngine, waitFor } from '../helpers/engine.ts';
function fetchBody(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error('HTTP ' + res.statusCode))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(3000, () => req.destroy(new Error('timeout')));
  });
}
it('stress', async () => {
  const t = await startTestEngine();
  const store = t.engine.ctx.store;
  const { execSync } = await import('node:child_process');
  const hist = new Map<string, string[]>();
  const t0 = performance.now();
  store.watch('pods', {}, (ev) => {
    const ip = ev.object.status?.podIP; if (!ip) return;
    const h = hist.get(ip) ?? []; hist.set(ip, h);
    const line = `${ev.object.metadata.name} ${ev.type} del=${!!ev.object.metadata.deletionTimestamp} ready=${ev.object.status?.conditions?.find((c: any) => c.type === 'Ready')?.status} ${(performance.now() - t0).toFixed(1)}`;
    h.push(line);
  });
  store.watch('events', {}, (ev) => {
    if (ev.object.reason !== 'PortMapped' || ev.type !== 'ADDED') return;
    const ip = /on (\S+) is in use/.exec(ev.object.message)?.[1];
    console.log('MAPPED', ev.object.involvedObject.name, ip, execSync(`ss -tanH '( sport = :80 )' | grep ${ip}: || true`).toString());
    const pods = store.list('pods', {}).items.filter((p) => p.status?.podIP === ip).map((p) => `${p.metadata.name} ${p.metadata.deletionTimestamp ?? ''} ${p.status?.phase}`);
    console.log('  pods with that IP', pods, (performance.now() - t0).toFixed(1), hist.get(ip)!.slice(-6));
    console.log(execSync(`ss -tlnH | grep ${ip}: || true`).toString());
  });
  await t.kubectl(['create', 'deployment', 'x', '--image=nginx', '--replicas=4']);
  await t.kubectl(['expose', 'deployment', 'x', '--port=80', '--type=NodePort']);
  const port = store.get('services', 'default', 'x')!.spec.ports[0].nodePort;
  const ready = () => store.list('pods', { namespace: 'default', labelSelector: 'app=x' }).items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  await waitFor(() => ready().length === 4, 20000);
  let stop = false; let ok = 0; const errs: string[] = [];
  const loops = Array.from({ length: 16 }, async () => { while (!stop) { try { await fetchBody('127.0.0.1', port); ok++; } catch (e) { errs.push((e as Error).message); } } });
  for (let i = 0; i < 8; i++) {
    await t.kubectl(['scale', 'deployment', 'x', `--replicas=${i % 2 ? 6 : 2}`]);
    await waitFor(() => ready().length === (i % 2 ? 6 : 2) && store.list('pods', { namespace: 'default', labelSelector: 'app=x' }).items.length === ready().length, 20000);
  }
  stop = true; await Promise.all(loops);
  console.log('ok', ok, 'errors', errs.length, errs.slice(0, 10));
  for (const e of store.list('events', {}).items.filter((e) => e.reason === 'PortMapped')) console.log('EVENT', e.involvedObject.name, e.message, e.count);
  await t.stop();
}, 120000);
