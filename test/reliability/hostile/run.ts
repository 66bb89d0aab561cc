import { parseRaw, statusProblem, type ApiClient, type Reply } from '../support/client.ts';
import { hostileRequests } from './generator.ts';
import type { HostileRequest } from './request.ts';

export interface HostileResult {
  failures: string[];
  categories: Record<string, number>;
  codes: Record<number, number>;
}

function describe(i: number, r: HostileRequest): string {
  const what = r.raw !== undefined ? JSON.stringify(r.raw.slice(0, 120)) : `${r.method} ${r.path.slice(0, 160)}`;
  const body = r.body === undefined ? '' : ` body=${JSON.stringify(r.body.toString().slice(0, 160))}`;
  return `#${i} [${r.category}] ${what}${body}`;
}

async function send(api: ApiClient, r: HostileRequest): Promise<Reply | string> {
  try {
    if (r.raw !== undefined) {
      const text = await api.raw(r.raw.replace('TOKEN', api.token));
      return parseRaw(text) ?? `no HTTP answer (${JSON.stringify(text.slice(0, 80))})`;
    }
    return await api.request({ method: r.method, path: r.path, headers: r.headers, body: r.body, timeoutMs: 20_000 });
  } catch (e) {
    return `no answer: ${(e as Error).message}`;
  }
}

/** The engine must still be alive and serving after every batch. */
async function healthy(api: ApiClient): Promise<string | undefined> {
  try {
    const ready = await api.request({ path: '/readyz', token: null, timeoutMs: 5_000 });
    if (ready.status !== 200) return `/readyz answered ${ready.status}`;
    const get = await api.request({ path: '/api/v1/namespaces/default/configmaps/target', timeoutMs: 5_000 });
    if (get.status !== 200) return `GET configmaps/target answered ${get.status}`;
  } catch (e) {
    return `health check failed: ${(e as Error).message}`;
  }
  return undefined;
}

/**
 * Send the seed's n hostile requests, `concurrency` at a time, checking the engine between
 * batches. Every answer must be a 4xx whose body is a Status carrying the same code.
 */
export async function runHostile(
  api: ApiClient,
  seed: number,
  n: number,
  opts: { concurrency?: number; batch?: number } = {},
): Promise<HostileResult> {
  const out: HostileResult = { failures: [], categories: {}, codes: {} };
  const gen = hostileRequests(seed, n);
  const batch = opts.batch ?? 250;
  let i = 0;
  for (let done = 0; done < n; done += batch) {
    const end = Math.min(n, done + batch);
    const worker = async () => {
      for (;;) {
        if (i >= end) return;
        const idx = i++;
        const { value: r } = gen.next();
        if (!r) return;
        out.categories[r.category] = (out.categories[r.category] ?? 0) + 1;
        const reply = await send(api, r);
        if (typeof reply === 'string') {
          out.failures.push(`${describe(idx, r)}: ${reply}`);
          continue;
        }
        out.codes[reply.status] = (out.codes[reply.status] ?? 0) + 1;
        const problem =
          reply.status < 400 || reply.status > 499
            ? `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`
            : statusProblem(reply);
        if (problem) out.failures.push(`${describe(idx, r)}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    const sick = await healthy(api);
    if (sick) {
      out.failures.push(`after request ${end}: ${sick}`);
      return out;
    }
  }
  return out;
}
