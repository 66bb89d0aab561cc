import type { StatusCause } from '../../api-types/index.ts';
import { nameError } from '../store/names.ts';

/** Small builders for the apiserver's field-error causes. */
export const cause = {
  required(field: string, what = ''): StatusCause {
    return { reason: 'FieldValueRequired', message: `Required value${what ? ': ' + what : ''}`, field };
  },
  invalid(field: string, value: unknown, why: string): StatusCause {
    return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field };
  },
  notSupported(field: string, value: unknown, allowed: string[]): StatusCause {
    return {
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
      field,
    };
  },
  duplicate(field: string, value: unknown): StatusCause {
    return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}`, field };
  },
  forbidden(field: string, why: string): StatusCause {
    return { reason: 'FieldValueForbidden', message: `Forbidden: ${why}`, field };
  },
  immutable(field: string, value: unknown): StatusCause {
    return {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(value)}: field is immutable`,
      field,
    };
  },
};

export function checkName(
  field: string,
  value: unknown,
  format: 'label' | 'subdomain' | 'dns1035',
  out: StatusCause[],
): void {
  if (typeof value !== 'string' || !value) {
    out.push(cause.required(field));
    return;
  }
  const err = nameError(value, format);
  if (err) out.push(cause.invalid(field, value, err));
}

export function checkPort(field: string, value: unknown, out: StatusCause[], allowZero = false): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535) {
    out.push(cause.invalid(field, value, 'must be between 1 and 65535, inclusive'));
  }
}

// Allowed `any` (eslint.config.js): validators read fields of untrusted JSON through this and
// check each with typeof before use.
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse `25%` or `1` against a total; surge rounds up, unavailable rounds down. */
export function intOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = v.match(/^(\d+)%$/);
    if (m) {
      const x = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(x) : Math.floor(x);
    }
    if (/^\d+$/.test(v)) return Number(v);
  }
  return NaN;
}
