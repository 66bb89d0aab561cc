// Enough of apimachinery's resource.Quantity for describe: parse, add, compare, round up and the
// canonical String() form ("1000m" → "1", "1024Mi" → "1Gi", "0.5" → "500m").

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = mantissa × 10^scale */
  mantissa: bigint;
  scale: number;
  format: Format;
}

export const ZERO: Quantity = { mantissa: 0n, scale: 0, format: 'DecimalSI' };

const DEC: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

export function parseQuantity(input: unknown): Quantity {
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string') return ZERO;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(input.trim());
  if (!m || (m[2] === '' && !m[3])) return ZERO;
  const [, sign, whole, frac = '', suffix] = m;
  let mantissa = BigInt((whole || '0') + frac);
  let scale = -frac.length;
  let format: Format;
  if (suffix in BIN) {
    format = 'BinarySI';
    mantissa *= 1n << BigInt(BIN[suffix]);
  } else if (suffix in DEC) {
    format = 'DecimalSI';
    scale += DEC[suffix];
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = 'DecimalExponent';
    scale += Number(suffix.slice(1));
  } else {
    return ZERO;
  }
  if (sign === '-') mantissa = -mantissa;
  return roundToNano({ mantissa, scale, format });
}

// Quantities are kept at nano precision at most, rounding away from zero.
function roundToNano(q: Quantity): Quantity {
  if (q.scale >= -9) return q;
  const div = 10n ** BigInt(-9 - q.scale);
  const neg = q.mantissa < 0n;
  const abs = neg ? -q.mantissa : q.mantissa;
  let r = abs / div;
  if (r * div !== abs) r += 1n;
  return { mantissa: neg ? -r : r, scale: -9, format: q.format };
}

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const scale = Math.min(a.scale, b.scale);
  return [a.mantissa * 10n ** BigInt(a.scale - scale), b.mantissa * 10n ** BigInt(b.scale - scale), scale];
}

/** q.Add(y): the sum keeps q's format unless q is zero. */
export function addQuantity(q: Quantity, y: Quantity): Quantity {
  const [a, b, scale] = align(q, y);
  return { mantissa: a + b, scale, format: q.mantissa === 0n ? y.format : q.format };
}

export function cmpQuantity(q: Quantity, y: Quantity): number {
  const [a, b] = align(q, y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value scaled by 10^exp, rounded up (ScaledValue). */
function scaledValue(q: Quantity, exp: number): number {
  const shift = q.scale - exp;
  if (shift >= 0) return Number(q.mantissa * 10n ** BigInt(shift));
  const div = 10n ** BigInt(-shift);
  let r = q.mantissa / div;
  if (q.mantissa > 0n && r * div !== q.mantissa) r += 1n;
  return Number(r);
}

export const milliValue = (q: Quantity) => scaledValue(q, -3);
export const value = (q: Quantity) => scaledValue(q, 0);

function exactInteger(q: Quantity): bigint | undefined {
  if (q.scale >= 0) return q.mantissa * 10n ** BigInt(q.scale);
  const div = 10n ** BigInt(-q.scale);
  return q.mantissa % div === 0n ? q.mantissa / div : undefined;
}

function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (v !== 0n && v % base === 0n) {
    v /= base;
    times++;
  }
  return [v, times];
}

export function quantityString(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  let integer: bigint | undefined;
  if (format === 'BinarySI') {
    const int = (n: bigint): Quantity => ({ mantissa: n, scale: 0, format });
    if (cmpQuantity(q, int(-1024n)) > 0 && cmpQuantity(q, int(1024n)) < 0) format = 'DecimalSI';
    else if ((integer = exactInteger(q)) === undefined) format = 'DecimalSI';
  }
  if (format === 'BinarySI' && integer !== undefined) {
    const [n, times] = removeFactors(integer, 1024n);
    const suffix = Object.keys(BIN).find((k) => BIN[k] === times * 10) ?? '';
    return `${n}${suffix}`;
  }
  let [n, exp] = removeFactors(q.mantissa, 10n);
  exp += q.scale;
  const r = ((exp % 3) + 3) % 3;
  if (r === 1) {
    n *= 10n;
    exp -= 1;
  }
  if (r === 2) {
    n *= 100n;
    exp -= 2;
  }
  if (format === 'DecimalExponent') return exp === 0 ? `${n}` : `${n}e${exp}`;
  const suffix = Object.keys(DEC).find((k) => DEC[k] === exp);
  return suffix === undefined ? `${n}e${exp}` : `${n}${suffix}`;
}

/** Canonical form of a quantity string as found in an object. */
export const canonicalQuantity = (s: unknown) => quantityString(parseQuantity(s));
