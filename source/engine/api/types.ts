import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineContext } from '../context.ts';
import type { ResourceDef } from '../resources/types.ts';
import type { ApiPath } from './paths.ts';

/** One API request for a resource, as the REST handlers, watch and server-side apply see it. */
export interface RestRequest {
  ctx: EngineContext;
  req: IncomingMessage;
  res: ServerResponse;
  path: ApiPath;
  def: ResourceDef;
  query: URLSearchParams;
}
