import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineContext } from '../context.ts';
import { startNode, stopNode } from '../controllers/node-state.ts';
import { errors } from '../store/errors.ts';
import { sendJson } from './respond.ts';

/**
 * skiff's own admin API (`/skiff/v1/...`), authenticated like the rest: node failure simulation,
 * and the engine's time scale (`GET /skiff/v1/clock`), which the TUI needs to count down delays
 * it derives from timestamps (a Job's back-off) the way the engine waits them out.
 */
export function adminHandler(ctx: EngineContext) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === '/skiff/v1/clock') {
      if (req.method !== 'GET') throw errors.methodNotAllowed();
      sendJson(res, 200, { timeScale: ctx.config.timeScale });
      return true;
    }
    const m = url.pathname.match(/^\/skiff\/v1\/nodes\/([^/]+)\/(stop|start)$/);
    if (!m) return false;
    if (req.method !== 'POST') throw errors.methodNotAllowed();
    const name = decodeURIComponent(m[1]!);
    if (m[2] === 'stop') stopNode(ctx.store, name);
    else startNode(ctx.store, name);
    sendJson(res, 200, {
      message:
        m[2] === 'stop' ? `node ${name} stopped: its containers stop and it will go NotReady` : `node ${name} started`,
    });
    return true;
  };
}
