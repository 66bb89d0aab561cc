import * as require_fs from 'node:fs';
import { startTestEngine } from '../helpers/engine.ts';
import { ApiClient } from './support/client.ts';
import { seedTargets } from './hostile/targets.ts';
import { hostileRequests } from './hostile/generator.ts';
const seed = Number(process.argv[2]);
const t = await startTestEngine({ apiOnly: true });
const api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert);
await seedTargets(async (path, body) => (await api.json('POST', path, body)).status);
let i = 0;
for (const r of hostileRequests(seed, 10000)) {
  require_fs.writeFileSync('/tmp/probe/last.txt', JSON.stringify({i, c: r.category, m: r.method, p: r.path.slice(0,300), h: r.headers, b: String(r.body ?? r.raw).slice(0, 3000)}));
  const t0 = Date.now();
  const m0 = process.memoryUsage().heapUsed;
  try {
    if (r.raw !== undefined) await api.raw(r.raw.replace('TOKEN', api.token));
    else await api.request({ method: r.method, path: r.path, headers: r.headers, body: r.body, timeoutMs: 20000 });
  } catch (e) { }
  const dt = Date.now() - t0, dm = process.memoryUsage().heapUsed - m0;
  if (dt > 500 || dm > 200e6) console.log(i, r.category, r.method, r.path.slice(0, 80), r.headers['Content-Type'], String(r.body ?? r.raw).slice(0, 100), dt, 'ms', Math.round(dm / 1e6), 'MB');
  i++;
}
console.log('done');
api.close(); await t.stop();
