import type { IncomingMessage } from 'node:http';
import { errors } from '../../store/errors.ts';

const MAX = 128;

/**
 * The field manager of a write: `?fieldManager=`, else the User-Agent up to its first `/`
 * (`kubectl/v1.32.4 (linux/amd64) …` → `kubectl`), as the apiserver derives it.
 */
export function fieldManagerOf(
  query: URLSearchParams,
  req: IncomingMessage,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): string {
  const given = query.get('fieldManager');
  if (given !== null && given !== '') {
    const causes = [];
    if (given.length > MAX)
      causes.push({
        reason: 'FieldValueTooLong',
        field: 'fieldManager',
        message: `Too long: may not be more than ${MAX} bytes`,
      });
    if (!/^[\x20-\x7e]*$/.test(given))
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'fieldManager',
        message: `Invalid value: ${JSON.stringify(given)}: must only contain printable characters`,
      });
    if (causes.length) throw errors.invalid('meta.k8s.io', options, '', causes);
    return given;
  }
  const ua = String(req.headers['user-agent'] ?? '');
  return ua
    .split('/', 1)[0]!
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, MAX);
}
