import type { EphemeralContainer } from 'kubernetes-types/core/v1.d.ts';
import type { StatusCause } from '../../api-types/index.ts';
import { cause, isObject } from './validation.ts';

/** Fields a container may have but an ephemeral one may not (upstream's validateEphemeralContainers). */
const FORBIDDEN: Array<keyof EphemeralContainer> = [
  'ports',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'restartPolicy',
];

type SpecWithEphemeral = { ephemeralContainers?: unknown };

const listOf = (spec: SpecWithEphemeral): EphemeralContainer[] =>
  Array.isArray(spec.ephemeralContainers) ? (spec.ephemeralContainers as EphemeralContainer[]) : [];

/** What an ephemeral container may not set, in a new pod or an added container alike. */
export function validateEphemeralContainers(spec: SpecWithEphemeral, out: StatusCause[]): void {
  listOf(spec).forEach((c, i) => {
    if (!isObject(c)) return;
    for (const f of FORBIDDEN)
      if (c[f] !== undefined)
        out.push(cause.forbidden(`spec.ephemeralContainers[${i}].${f}`, 'cannot be set for an Ephemeral Container'));
    const r = c.resources;
    if (isObject(r) && (Object.keys(r.limits ?? {}).length || Object.keys(r.requests ?? {}).length)) {
      out.push(cause.forbidden(`spec.ephemeralContainers[${i}].resources`, 'cannot be set for an Ephemeral Container'));
    }
  });
}

/** Ephemeral containers are only ever added: none removed, none changed. */
export function validateEphemeralUpdate(spec: SpecWithEphemeral, old: SpecWithEphemeral, out: StatusCause[]): void {
  const now = new Map(listOf(spec).map((c) => [c.name, c]));
  for (const before of listOf(old)) {
    const after = now.get(before.name);
    if (!after)
      out.push(
        cause.forbidden(
          'spec.ephemeralContainers',
          `existing ephemeral containers "${before.name}" may not be removed`,
        ),
      );
    else if (JSON.stringify(after) !== JSON.stringify(before))
      out.push(
        cause.forbidden(
          'spec.ephemeralContainers',
          `existing ephemeral containers "${before.name}" may not be changed`,
        ),
      );
  }
  validateEphemeralContainers(spec, out);
}
