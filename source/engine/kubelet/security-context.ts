import type { Container, Pod, PodSecurityContext, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { SecuritySpec } from '../runtime/index.ts';
import { ContainerConfigError } from './container-env.ts';
import { podDesc } from './format.ts';

const isEmpty = (o: object | undefined) => !o || Object.keys(o).length === 0;

/** What a pod and container without a securityContext get: one frozen object, not one each (a running container keeps it). */
const NONE: SecuritySpec & { runAsNonRoot?: boolean } = Object.freeze({});

/** The container's securityContext over the pod's (DetermineEffectiveSecurityContext). */
export function effectiveSecurity(pod: Pod, container: Container): SecuritySpec & { runAsNonRoot?: boolean } {
  // The API server defaults a pod's securityContext to {}.
  if (isEmpty(pod.spec?.securityContext) && isEmpty(container.securityContext)) return NONE;
  const p: PodSecurityContext = pod.spec?.securityContext ?? {};
  const c: SecurityContext = container.securityContext ?? {};
  return {
    runAsUser: c.runAsUser ?? p.runAsUser,
    runAsGroup: c.runAsGroup ?? p.runAsGroup,
    runAsNonRoot: c.runAsNonRoot ?? p.runAsNonRoot,
    privileged: c.privileged,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem,
    allowPrivilegeEscalation: c.allowPrivilegeEscalation,
    capabilities: c.capabilities ? { add: c.capabilities.add, drop: c.capabilities.drop } : undefined,
  };
}

/**
 * The kubelet's verifyRunAsNonRoot: the built-in images run as root (uid 0), so runAsNonRoot
 * needs a non-zero runAsUser. Throws ContainerConfigError (CreateContainerConfigError).
 */
export function verifyRunAsNonRoot(
  pod: Pod,
  container: Container,
  sec: SecuritySpec & { runAsNonRoot?: boolean },
): void {
  if (!sec.runAsNonRoot) return;
  const who = `(pod: "${podDesc(pod as Parameters<typeof podDesc>[0])}", container: ${container.name})`;
  if (sec.runAsUser !== undefined) {
    if (sec.runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${who}`);
    return;
  }
  throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${who}`);
}

/** Whether the pod asks for what only a sandbox keeps from owning the host. */
export function needsSandbox(pod: Pod, container: Container): string | undefined {
  if (container.securityContext?.privileged) return 'a privileged container';
  const hostPaths = (pod.spec?.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
  const mounted = (container.volumeMounts ?? []).some((m) => hostPaths.includes(m.name));
  return mounted ? 'a hostPath volume' : undefined;
}

/** The setting that lets pods needing a sandbox run without one. */
export const ALLOW_UNSANDBOXED_ENV = 'SKIFF_ALLOW_UNSANDBOXED';

export function allowUnsandboxed(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env[ALLOW_UNSANDBOXED_ENV] ?? '');
}
