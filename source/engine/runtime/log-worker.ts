import { Worker } from 'node:worker_threads';

/**
 * Makes a new container's log directory (its pod's), opens its first log file and writes its
 * start-up lines on one worker thread.
 *
 * Through libuv's pool, `mkdir -p` of a new directory is two requests and the open a third,
 * and on a virtual machine each one costs the engine's thread tens of microseconds (waking a pool
 * thread); done synchronously, ext4's mkdir and the first write to a file cost it more. The worker
 * does the syscalls of every container that starts in the same turn for one message each way. File
 * descriptors are the process's: the engine's thread writes to the one the worker opened.
 */

/**
 * What the worker did: the fd of the new log file and the bytes it wrote to it, or nothing when
 * the directory was there already.
 */
export type Prepared = { fd: number; bytes: number } | { existed: true };

type Request = { id: number; dirs: string[]; file: string; prefix?: string; legacy?: string; text?: string };

type Reply = { id: number; fd?: number; bytes?: number; error?: { message: string; code?: string } };

// Plain JavaScript evaluated by the worker (no module loader: the same in a checkout and in dist/).
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } = require('node:fs');
parentPort.on('message', (batch) => {
  const replies = [];
  for (const r of batch) {
    try {
      let made = false;
      for (const d of r.dirs) {
        try {
          mkdirSync(d, 0o777);
          made = true;
        } catch (e) {
          if (e.code !== 'EEXIST') throw e;
          made = false;
        }
      }
      if (!made && r.prefix !== undefined) {
        const last = r.dirs[r.dirs.length - 1];
        made = !readdirSync(last).some((n) => n.startsWith(r.prefix)) && !existsSync(r.legacy);
      }
      if (!made) {
        replies.push({ id: r.id, existed: true });
        continue;
      }
      const fd = openSync(r.file, 'a');
      let bytes = 0;
      try {
        if (r.text) bytes = writeSync(fd, r.text);
      } catch (e) {
        closeSync(fd);
        throw e;
      }
      replies.push({ id: r.id, fd, bytes });
    } catch (e) {
      replies.push({ id: r.id, error: { message: e.message, code: e.code } });
    }
  }
  parentPort.postMessage(replies);
});
`;

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
let queue: Request[] = [];
let scheduled = false;
/** Ends the worker once nothing has been asked of it for a while (see idleMs). */
let idleTimer: NodeJS.Timeout | undefined;
/**
 * A worker thread is a second V8 heap (~10 MiB resident): kept through a burst of starts,
 * ended when starts stop; the next start makes a new one (tens of milliseconds, off the engine's thread).
 */
let idleMs = 5000;

/** Tests: how long the worker may sit idle; returns whether a worker is running now. */
export function logWorkerIdle(ms?: number): boolean {
  if (ms !== undefined) idleMs = ms;
  return worker !== undefined;
}

function failAll(err: Error): void {
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function ensureWorker(): Worker {
  if (worker) return worker;
  // trackUnmanagedFds: false, or the worker would close the files it opened for the engine when it exits.
  const w = new Worker(SOURCE, { eval: true, trackUnmanagedFds: false });
  w.on('message', (replies: Reply[]) => {
    for (const r of replies) {
      const p = waiting.get(r.id);
      if (!p) continue;
      waiting.delete(r.id);
      if (r.error) p.reject(Object.assign(new Error(r.error.message), { code: r.error.code }));
      else p.resolve(r);
    }
    if (waiting.size > 0) return;
    w.unref();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(retire, idleMs).unref();
  });
  const gone = (err: Error) => {
    if (worker !== w) return; // retired: its replies were all in
    worker = undefined;
    failAll(err);
  };
  w.on('error', gone);
  w.on('exit', (code) => gone(new Error(`log directory worker exited (${code})`)));
  return (worker = w);
}

/**
 * Make `dirs` in order (each inside the one before; those that exist are fine) and, when the last
 * one is new, open `file` in it for appending and write `text` (the container's first lines: the
 * first write to a new file allocates its first block, which on ext4 costs like the inode). A last
 * directory that existed may hold earlier attempts' logs: the caller lists it and opens the file
 * itself — unless `unless` is given and the directory has no name starting with `unless.prefix`
 * and `unless.legacy` does not exist (a pod's second container, whose logs share the pod's
 * directory): then `file` is opened (and written) too.
 */
export async function prepareLogDir(
  dirs: string[],
  file: string,
  unless?: { prefix: string; legacy: string },
  text?: string,
): Promise<Prepared> {
  const r = await send({ id: nextId++, dirs, file, prefix: unless?.prefix, legacy: unless?.legacy, text });
  return r.fd !== undefined ? { fd: r.fd, bytes: r.bytes ?? 0 } : { existed: true };
}

function retire(): void {
  const w = worker;
  if (!w || waiting.size || queue.length) return;
  worker = undefined;
  void w.terminate();
}

function send(req: Request): Promise<Reply> {
  clearTimeout(idleTimer);
  return new Promise((resolve, reject) => {
    waiting.set(req.id, { resolve, reject });
    queue.push(req);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = queue;
      queue = [];
      try {
        // Held while requests wait, let go when none do: an unref made before the 'message'
        // listener was undone by it, and a process whose engine had stopped never exited.
        const w = ensureWorker();
        w.ref();
        w.postMessage(batch);
      } catch (e) {
        for (const r of batch) waiting.get(r.id)?.reject(e as Error);
        for (const r of batch) waiting.delete(r.id);
      }
    });
  });
}
