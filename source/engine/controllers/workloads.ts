import type { Component } from '../context.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { DaemonSetController } from './daemonset.ts';
import { DeploymentController } from './deployment.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { NamespaceController } from './namespace.ts';
import { NodeLifecycleController } from './node-lifecycle.ts';
import { ReplicaSetController } from './replicaset.ts';

/** The scheduler and the workload controllers (issue 4), in start order. */
export function workloadComponents(): Component[] {
  return [
    new NodeLifecycleController(),
    new Scheduler(),
    new ReplicaSetController(),
    new DeploymentController(),
    new DaemonSetController(),
    new GarbageCollector(),
    new NamespaceController(),
  ];
}
