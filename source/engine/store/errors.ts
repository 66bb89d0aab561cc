import type { Status, StatusCause } from '../../api-types/index.ts';

/** An error that the API answers with a Kubernetes `Status` object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Status['details'] = undefined,
  ) {
    super(message);
  }

  toStatus(): Status {
    // The apiserver's field order: details (when there are any) before code.
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: orderedDetails(this.details) } : {}),
      code: this.code,
    };
  }
}

/** StatusDetails and StatusCause fields in the order Go's encoder writes them. */
function orderedDetails(d: NonNullable<Status['details']>): NonNullable<Status['details']> {
  const { name, group, kind, uid, causes, retryAfterSeconds, ...rest } = d;
  return {
    name,
    group,
    kind,
    uid,
    ...(causes
      ? { causes: causes.map(({ reason, message, field, ...more }) => ({ reason, message, field, ...more })) }
      : {}),
    retryAfterSeconds,
    ...rest,
  };
}

/** `pods`, `deployments.apps`: how the apiserver names a resource in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const errors = {
  notFound(group: string, plural: string, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, {
      name,
      group: group || undefined,
      kind: plural,
    });
  },
  alreadyExists(group: string, plural: string, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, {
      name,
      group: group || undefined,
      kind: plural,
    });
  },
  conflict(group: string, plural: string, name: string, why?: string): ApiError {
    const reason = why ?? 'the object has been modified; please apply your changes to the latest version and try again';
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${reason}`,
      { name, group: group || undefined, kind: plural },
    );
  },
  invalid(group: string, kind: string, name: string, causes: StatusCause[]): ApiError {
    const detail = causes.map((c) => `${c.field ? c.field + ': ' : ''}${c.message}`).join(', ');
    return new ApiError(
      422,
      'Invalid',
      `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${causes.length > 1 ? '[' + detail + ']' : detail}`,
      { name, group: group || undefined, kind, causes },
    );
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  forbidden(message: string): ApiError {
    return new ApiError(403, 'Forbidden', message);
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message);
  },
  unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType})`,
    );
  },
  expired(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  tooLarge(message = 'Request entity too large'): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', message);
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
  },
  serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
};

/** 404: the object is not there (deleted meanwhile, or never was). */
export function isNotFound(e: unknown): e is ApiError {
  return e instanceof ApiError && e.code === 404;
}

/** 409 Conflict: a stale resourceVersion or a failed precondition (not AlreadyExists, also a 409). */
export function isConflict(e: unknown): e is ApiError {
  return e instanceof ApiError && e.reason === 'Conflict';
}

/** 409 AlreadyExists: a create found the name taken. */
export function isAlreadyExists(e: unknown): e is ApiError {
  return e instanceof ApiError && e.reason === 'AlreadyExists';
}
