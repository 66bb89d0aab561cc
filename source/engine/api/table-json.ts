import type { ServerResponse } from 'node:http';
import type { Table } from '../../api-types/index.ts';
import { escapeHtml } from '../store/stored-json.ts';
import { streamJsonArray } from './list-json.ts';
import { isPretty, sendJson } from './respond.ts';

/**
 * A Table response (`kubectl get` at any size), its rows stringified and escaped one at a time
 * and streamed like a LIST: as one text, 10,000 pods' Table was three strings of ~10 MB (the
 * JSON, Go's escaping of it, its encoding), each in fresh memory, and the escaping's regular
 * expression ran over all of it at once.
 */
export function sendTable(res: ServerResponse, table: Table): void {
  if (isPretty(res)) return sendJson(res, 200, table);
  const { rows, ...rest } = table;
  // `rows` is the last field, as in the Table itself: the text ends with `[]}`.
  const texts: string[] = new Array(rows.length + 2);
  texts[0] = escapeHtml(JSON.stringify({ ...rest, rows: [] })).slice(0, -2);
  for (let i = 0; i < rows.length; i++) texts[i + 1] = escapeHtml(JSON.stringify(rows[i]));
  texts[rows.length + 1] = ']}\n';
  streamJsonArray(res, texts);
}
