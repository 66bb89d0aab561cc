import { run } from '../bench/pods.bench.ts';
const mod = await import('../bench/pods.bench.ts');
void run; void mod;
