// Strategic-merge metadata of the built-in types, transcribed from the `patchStrategy` /
// `patchMergeKey` struct tags of k8s.io/api (core, apps, batch, policy, storage,
// admissionregistration, autoscaling, flowcontrol) and k8s.io/apimachinery ObjectMeta.
// Only fields that carry a strategy, or lead to a type that does, are listed: every other
// field patches by default rules (maps merge, lists replace, scalars replace).

export interface FieldMeta {
  /** The type of the field's value (list fields: of each element), when it has entries here. */
  type?: string;
  mergeKey?: string;
  strategy?: 'merge' | 'replace';
  /** Tagged `retainKeys`: the patch may send `$retainKeys` for this field's object(s). */
  retainKeys?: boolean;
}

type TypeMeta = Record<string, FieldMeta>;

const meta: FieldMeta = { type: 'ObjectMeta' };
const byName: FieldMeta = { mergeKey: 'name', strategy: 'merge' };
const byType: FieldMeta = { mergeKey: 'type', strategy: 'merge' };
const conditionsStatus: FieldMeta = { type: 'ConditionsStatus' };
const podTemplate: FieldMeta = { type: 'PodTemplateSpec' };
const container: FieldMeta = { type: 'Container', mergeKey: 'name', strategy: 'merge' };

const TYPES: Record<string, TypeMeta> = {
  Object: { metadata: meta },
  ObjectMeta: {
    ownerReferences: { mergeKey: 'uid', strategy: 'merge' },
    finalizers: { strategy: 'merge' },
  },
  ConditionsStatus: { conditions: byType },

  // core/v1
  Pod: { metadata: meta, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodTemplate: { metadata: meta, template: podTemplate },
  PodTemplateSpec: { metadata: meta, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { type: 'Volume', mergeKey: 'name', strategy: 'merge', retainKeys: true },
    initContainers: container,
    containers: container,
    ephemeralContainers: container,
    imagePullSecrets: byName,
    hostAliases: { mergeKey: 'ip', strategy: 'merge' },
    topologySpreadConstraints: { mergeKey: 'topologyKey', strategy: 'merge' },
    schedulingGates: byName,
    resourceClaims: { mergeKey: 'name', strategy: 'merge', retainKeys: true },
  },
  Container: {
    ports: { mergeKey: 'containerPort', strategy: 'merge' },
    env: byName,
    volumeMounts: { mergeKey: 'mountPath', strategy: 'merge' },
    volumeDevices: { mergeKey: 'devicePath', strategy: 'merge' },
  },
  Volume: { ephemeral: { type: 'EphemeralVolumeSource' } },
  EphemeralVolumeSource: { volumeClaimTemplate: { type: 'Object' } },
  PodStatus: {
    conditions: byType,
    hostIPs: { mergeKey: 'ip', strategy: 'merge' },
    podIPs: { mergeKey: 'ip', strategy: 'merge' },
    resourceClaimStatuses: { mergeKey: 'name', strategy: 'merge', retainKeys: true },
    // containerStatuses & co. are atomic lists: their element fields only matter inside a merge.
  },
  ReplicationController: { metadata: meta, spec: { type: 'TemplateSpec' }, status: conditionsStatus },
  TemplateSpec: { template: podTemplate },
  Service: { metadata: meta, spec: { type: 'ServiceSpec' }, status: conditionsStatus },
  ServiceSpec: { ports: { mergeKey: 'port', strategy: 'merge' } },
  Node: { metadata: meta, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  NodeSpec: { podCIDRs: { strategy: 'merge' } },
  NodeStatus: { conditions: byType, addresses: byType },
  ObjectWithConditions: { metadata: meta, status: conditionsStatus },
  ServiceAccount: { metadata: meta, secrets: byName },
  ComponentStatus: { metadata: meta, conditions: byType },

  // apps/v1, batch/v1
  Deployment: { metadata: meta, spec: { type: 'DeploymentSpec' }, status: conditionsStatus },
  DeploymentSpec: { template: podTemplate, strategy: { retainKeys: true } },
  WorkloadWithTemplate: { metadata: meta, spec: { type: 'TemplateSpec' }, status: conditionsStatus },
  CronJob: { metadata: meta, spec: { type: 'CronJobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { metadata: meta, spec: { type: 'TemplateSpec' } },

  // other groups
  PodDisruptionBudget: { metadata: meta, spec: { type: 'PodDisruptionBudgetSpec' }, status: conditionsStatus },
  PodDisruptionBudgetSpec: { selector: { strategy: 'replace' } },
  CSINode: { metadata: meta, spec: { type: 'CSINodeSpec' } },
  CSINodeSpec: { drivers: byName },
  WebhookConfiguration: { metadata: meta, webhooks: { type: 'Webhook', mergeKey: 'name', strategy: 'merge' } },
  Webhook: { matchConditions: byName },
  ValidatingAdmissionPolicy: {
    metadata: meta,
    spec: { type: 'ValidatingAdmissionPolicySpec' },
    status: conditionsStatus,
  },
  ValidatingAdmissionPolicySpec: { matchConditions: byName, variables: byName },
};

/** Built-in kinds, `Kind` for the core group and `Kind.group` otherwise, to their root type. */
const KINDS: Record<string, string> = {
  Pod: 'Pod',
  PodTemplate: 'PodTemplate',
  ReplicationController: 'ReplicationController',
  Service: 'Service',
  Node: 'Node',
  Namespace: 'ObjectWithConditions',
  PersistentVolumeClaim: 'ObjectWithConditions',
  ServiceAccount: 'ServiceAccount',
  ComponentStatus: 'ComponentStatus',
  ConfigMap: 'Object',
  Secret: 'Object',
  Endpoints: 'Object',
  Event: 'Object',
  LimitRange: 'Object',
  ResourceQuota: 'Object',
  PersistentVolume: 'Object',
  Binding: 'Object',
  'Deployment.apps': 'Deployment',
  'ReplicaSet.apps': 'WorkloadWithTemplate',
  'DaemonSet.apps': 'WorkloadWithTemplate',
  'StatefulSet.apps': 'WorkloadWithTemplate',
  'ControllerRevision.apps': 'Object',
  'Job.batch': 'WorkloadWithTemplate',
  'CronJob.batch': 'CronJob',
  'Scale.autoscaling': 'Object',
  'HorizontalPodAutoscaler.autoscaling': 'ObjectWithConditions',
  'PodDisruptionBudget.policy': 'PodDisruptionBudget',
  'Eviction.policy': 'Object',
  'Ingress.networking.k8s.io': 'Object',
  'IngressClass.networking.k8s.io': 'Object',
  'NetworkPolicy.networking.k8s.io': 'Object',
  'ServiceCIDR.networking.k8s.io': 'ObjectWithConditions',
  'IPAddress.networking.k8s.io': 'Object',
  'EndpointSlice.discovery.k8s.io': 'Object',
  'Event.events.k8s.io': 'Object',
  'Role.rbac.authorization.k8s.io': 'Object',
  'ClusterRole.rbac.authorization.k8s.io': 'Object',
  'RoleBinding.rbac.authorization.k8s.io': 'Object',
  'ClusterRoleBinding.rbac.authorization.k8s.io': 'Object',
  'StorageClass.storage.k8s.io': 'Object',
  'CSIDriver.storage.k8s.io': 'Object',
  'CSINode.storage.k8s.io': 'CSINode',
  'CSIStorageCapacity.storage.k8s.io': 'Object',
  'VolumeAttachment.storage.k8s.io': 'Object',
  'Lease.coordination.k8s.io': 'Object',
  'PriorityClass.scheduling.k8s.io': 'Object',
  'RuntimeClass.node.k8s.io': 'Object',
  'CustomResourceDefinition.apiextensions.k8s.io': 'Object',
  'APIService.apiregistration.k8s.io': 'ObjectWithConditions',
  'CertificateSigningRequest.certificates.k8s.io': 'Object',
  'FlowSchema.flowcontrol.apiserver.k8s.io': 'ObjectWithConditions',
  'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io': 'ObjectWithConditions',
  'ValidatingWebhookConfiguration.admissionregistration.k8s.io': 'WebhookConfiguration',
  'MutatingWebhookConfiguration.admissionregistration.k8s.io': 'WebhookConfiguration',
  'ValidatingAdmissionPolicy.admissionregistration.k8s.io': 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io': 'Object',
};

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The root type of a kind for strategic merge, or undefined for kinds without a schema (custom resources). */
export function rootTypeOf(kind: { group: string; kind: string }): string | undefined {
  const key = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  return own(KINDS, key) ? KINDS[key] : undefined;
}

/** Whether a strategic merge patch is allowed; the real apiserver answers 415 for custom resources. */
export function supportsStrategic(kind: { group: string; kind: string }): boolean {
  return rootTypeOf(kind) !== undefined;
}

export function fieldMeta(type: string | undefined, field: string): FieldMeta | undefined {
  if (type === undefined || !own(TYPES, type)) return undefined;
  const fields = TYPES[type];
  return own(fields, field) ? fields[field] : undefined;
}
