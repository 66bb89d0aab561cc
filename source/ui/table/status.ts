import type { Row } from '../../client/table-cache.ts';
import type { DisplayColumn } from './columns.ts';
import { cellValue } from './derive.ts';

export type Tone = 'ok' | 'warn' | 'error' | 'dim' | 'normal';

const ERROR =
  /(err|backoff|fail|crash|oomkilled|evicted|unknown|notready|lost|invalid|exitcode|signal|unhealthy|unschedulable|rejected|deadline)/i;
const DIM = /^(terminating|completed|succeeded|terminated)$/i;
const WARN = /^(pending|containercreating|podinitializing|init:|waiting|creating|progressing|scheduling)/i;
const OK = /^(running|ready|active|bound|available|true|complete)$/i;

/** Row colour from the status cell, readiness counts, and deletion. */
export function rowTone(row: Row, columns: DisplayColumn[]): Tone {
  if (row.object?.metadata?.deletionTimestamp) return 'dim';
  const status = columns.find((c) => c.isStatus);
  if (status) {
    const v = cellValue(row, status);
    if (DIM.test(v)) return 'dim';
    if (ERROR.test(v)) return 'error';
    if (WARN.test(v) || v.includes('SchedulingDisabled')) return 'warn';
    if (OK.test(v) || v.startsWith('Ready')) return readyShort(row, columns) ? 'warn' : 'ok';
    return 'normal';
  }
  const type = columns.find((c) => c.name === 'TYPE');
  if (type && cellValue(row, type) === 'Warning') return 'warn';
  if (readyShort(row, columns)) return 'warn';
  return 'normal';
}

/** A READY cell like `1/3`: fewer ready than wanted. */
function readyShort(row: Row, columns: DisplayColumn[]): boolean {
  const ready = columns.find((c) => c.name === 'READY');
  if (!ready) return false;
  const m = /^(\d+)\/(\d+)$/.exec(cellValue(row, ready));
  return !!m && Number(m[1]) < Number(m[2]);
}
