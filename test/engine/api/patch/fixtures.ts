import { expect } from 'vitest';
import { ApiError } from '../../../../source/engine/store/errors.ts';

/** Freezes a value and everything under it, like the store does. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Runs `fn`, expects an ApiError with `code`, and returns it for further checks. */
export function apiError(fn: () => unknown, code: number): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(code);
    return err as ApiError;
  }
  throw new Error(`expected an ApiError ${code}, but nothing was thrown`);
}

export const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
export const POD = { group: '', kind: 'Pod' };
export const SERVICE = { group: '', kind: 'Service' };
export const NODE = { group: '', kind: 'Node' };

/** A stored Deployment as the apiserver keeps it (defaults applied), modelled on the transcripts. */
export function webDeployment(): Record<string, any> {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'e97463b2-718b-448a-aa06-f9c92eb2bd24',
      resourceVersion: '1059',
      generation: 2,
      creationTimestamp: '2026-11-26T05:29:00Z',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'MODE', value: 'prod' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 2,
      replicas: 3,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}
