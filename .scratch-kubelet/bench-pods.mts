import { run } from '../bench/pods.bench.ts';
const t0 = Date.now();
console.log(JSON.stringify(await run(), null, 1));
console.log('total', (Date.now() - t0) / 1000);
process.exit(0);
