import { CronExpressionParser } from 'cron-parser';

/** robfig/cron's descriptors as the CronJob controller accepts them (standard 5-field parser). */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const BOUNDS: Array<[number, number, Record<string, number>?]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
  [0, 6, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
];

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(expr))
    throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  return Number(expr);
}

/** robfig/cron's getRange checks, with its error wording (what the apiserver reports). */
function checkField(field: string, [min, max, names]: [number, number, Record<string, number>?]): void {
  for (const expr of field.split(',')) {
    const [range, step, ...extraSlash] = expr.split('/');
    if (extraSlash.length) throw new Error(`too many slashes: ${expr}`);
    const [lowExpr, highExpr, ...extraHyphen] = range!.split('-');
    if (extraHyphen.length) throw new Error(`too many hyphens: ${expr}`);
    let start: number;
    let end: number;
    if (lowExpr === '*' || lowExpr === '?') {
      start = min;
      end = max;
    } else {
      start = parseIntOrName(lowExpr!, names);
      end = highExpr === undefined ? start : parseIntOrName(highExpr, names);
    }
    if (step !== undefined) {
      const n = parseIntOrName(step);
      if (n <= 0) throw new Error(`step of range should be a positive number: ${expr}`);
    }
    if (start < min) throw new Error(`beginning of range (${start}) below minimum (${min}): ${expr}`);
    if (end > max) throw new Error(`end of range (${end}) above maximum (${max}): ${expr}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  }
}

export interface Schedule {
  /** The first scheduled time strictly after `after` (ms). */
  next(after: number): number;
}

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const GO_DURATION = /^(\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function goDurationMs(s: string): number {
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

/**
 * Parse a CronJob schedule as the controller does: an optional `CRON_TZ=`/`TZ=` prefix, a
 * descriptor (`@hourly`, `@every 1h30m`) or exactly five fields, in `timeZone` (default: the
 * engine's local zone, like kube-controller-manager). Throws with robfig/cron's wording.
 */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  let spec = schedule.trim();
  let tz = timeZone;
  const m = spec.match(/^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/);
  if (m) {
    tz = m[1];
    spec = m[2]!.trim();
  }
  if (tz !== undefined && !validTimeZone(tz)) throw new Error(`provided bad location ${tz}: unknown time zone ${tz}`);
  if (spec.startsWith('@every ')) {
    const d = spec.slice(7).trim();
    if (!GO_DURATION.test(d)) throw new Error(`failed to parse duration ${spec}: time: invalid duration "${d}"`);
    const ms = Math.max(1000, Math.floor(goDurationMs(d) / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + ms };
  }
  if (spec.startsWith('@')) {
    const macro = MACROS[spec];
    if (!macro) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = macro;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  fields.forEach((f, i) => checkField(f, BOUNDS[i]!));
  // cron-parser must accept it too (it computes the times).
  CronExpressionParser.parse(`0 ${fields.join(' ')}`, { tz: tz ?? 'UTC', currentDate: new Date(0) });
  const expr = `0 ${fields.join(' ')}`;
  return {
    next(after) {
      const e = CronExpressionParser.parse(expr, { tz, currentDate: new Date(after) });
      return e.next().getTime();
    },
  };
}
