import { createServer } from 'node:http';
import { execa } from 'execa';
import { startTestEngine } from '/work/main/test/helpers/engine.ts';
import { handlePortForward } from '/work/main/source/engine/proxy/portforward.ts';

const t = await startTestEngine();
const ctx = t.engine.ctx;
ctx.podIO = { log: async () => {}, upgrade: (kind, pod, q, req, socket, head) => handlePortForward(pod, q, req, socket, head) };
const srv = createServer((_q, r) => r.end('hello from pod\n')).listen(8080, '127.244.9.9');
ctx.store.create('pods', { metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'ghost', containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] } });
ctx.store.mutate('pods', 'default', 'web-1', (p) => { p.status = { phase: 'Running', podIP: '127.244.9.9', podIPs: [{ ip: '127.244.9.9' }], conditions: [{ type: 'Ready', status: 'True' }] }; }, { subresource: 'status' });
const pf = execa('/usr/bin/kubectl', ['port-forward', 'pod/web-1', '18080:8080', '-v=8'], { extendEnv: false, reject: false, env: { HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH, KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' } });
let out = '';
pf.stdout!.on('data', (d) => (out += d));
pf.stderr!.on('data', (d) => (out += d));
await new Promise((r) => setTimeout(r, 3000));
for (let i = 0; i < 3; i++) {
  const c = await execa('curl', ['-s', '-m', '5', 'http://127.0.0.1:18080/'], { reject: false });
  console.log('curl:', c.exitCode, JSON.stringify(c.stdout));
}
await new Promise((r) => setTimeout(r, 500));
pf.kill();
await pf;
console.log(out.split('\n').filter((l) => /portforward|Upgrade|Forwarding|Handling|101|SPDY|rror|protocol/i.test(l)).slice(0, 40).join('\n'));
srv.close();
await t.stop();
process.exit(0);
