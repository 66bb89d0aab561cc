// The client side of api.bench.ts's LIST figures, in a process of its own as kubectl would be:
// in the engine's process, the client's TLS decryption and parsing of 15 MB ran on the engine's
// event loop and was counted in the engine's LIST time. Reads a job from argv (JSON: url, token,
// CA, how many LISTs, the Accept headers to alternate), prints the timings as one JSON line.
import { timedGet } from './lib.ts';

interface Job {
  url: string;
  token: string;
  ca: string;
  lists: number;
  accepts: string[];
}

const job = JSON.parse(process.argv[2]!) as Job;
const first = (await timedGet(job.url, job.token, job.ca, job.accepts[0])).ms;
const ms: number[][] = job.accepts.map(() => []);
for (let i = 0; i < job.lists; i++)
  for (const [k, accept] of job.accepts.entries()) ms[k]!.push((await timedGet(job.url, job.token, job.ca, accept)).ms);
process.stdout.write(JSON.stringify({ first, ms }) + '\n');
