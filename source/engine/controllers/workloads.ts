import type { Component } from '../context.ts';
import { DaemonSetController } from './daemonset.ts';
import { DeploymentController } from './deployment.ts';
import { DisruptionController } from './disruption.ts';
import { CronJobController } from './cronjob.ts';
import { JobController } from './job.ts';
import { StatefulSetController } from './statefulset.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { NamespaceController } from './namespace.ts';
import { NodeLifecycleController } from './node-lifecycle.ts';
import { REPLICATION_CONTROLLER, ReplicaSetController } from './replicaset.ts';

/** The workload controllers, in start order (the scheduler is its own component). */
export function workloadComponents(): Component[] {
  return [
    new NodeLifecycleController(),
    new ReplicaSetController(),
    new ReplicaSetController(REPLICATION_CONTROLLER),
    new DeploymentController(),
    new DaemonSetController(),
    new StatefulSetController(),
    new JobController(),
    new CronJobController(),
    new GarbageCollector(),
    new NamespaceController(),
    new DisruptionController(),
  ];
}
