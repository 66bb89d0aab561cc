/**
 * Errors the runtime throws. Each carries the Kubernetes `reason` a kubelet would put in a
 * container's waiting/terminated state, and a message worded like containerd's.
 */
export class RuntimeError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The reference does not parse (kubelet: `InvalidImageName`). */
export class InvalidImageNameError extends RuntimeError {
  constructor(
    readonly image: string,
    detail: string,
  ) {
    super(
      'InvalidImageName',
      `couldn't parse image name "${image}": invalid reference format${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** The registry does not have the image or tag (kubelet: `ErrImagePull`). */
export class ImagePullError extends RuntimeError {
  /** gRPC code containerd answers with: the kubelet writes `rpc error: code = <code> desc = <message>`. */
  readonly code = 'NotFound';
  constructor(
    readonly image: string,
    readonly ref: string,
    registryMessage: string,
  ) {
    super(
      'ErrImagePull',
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${registryMessage}`,
    );
  }
}

/** `imagePullPolicy: Never` and the image is not on the node (kubelet: `ErrImageNeverPull`). */
export class ImageNeverPullError extends RuntimeError {
  constructor(readonly image: string) {
    super('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
  }
}

/** The container could not be started, e.g. its executable does not exist (`StartError`, exit 128). */
export class StartError extends RuntimeError {
  constructor(message: string) {
    super('StartError', message);
  }
}

/** exec into a container that is not running, or whose command does not exist. */
export class ExecError extends RuntimeError {
  constructor(message: string) {
    super('ExecError', message);
  }
}

/** No log file for the requested container instance. */
export class LogsNotFoundError extends RuntimeError {
  constructor(message: string) {
    super('NotFound', message);
  }
}

/** A name that would reach a filesystem path is not a plain path component. */
export class InvalidNameError extends RuntimeError {
  constructor(what: string, value: string) {
    super('InvalidName', `invalid ${what} ${JSON.stringify(value)}: must be a single path component`);
  }
}
