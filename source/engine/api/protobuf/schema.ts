import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/**
 * Message schemas for Kubernetes protobuf bodies, parsed once from ./schema/*.proto. Field
 * numbers follow upstream; field names are the JSON names. Three field options carry what the
 * upstream .proto files cannot say but Go's JSON encoding depends on (derived from the json/protobuf
 * tags in k8s.io/api types.go):
 *   (ptr)    the Go field is a pointer (*int32, *bool, *string): gogo writes it only when set,
 *            so a present zero value is meaningful and kept (`--replicas=0`);
 *   (always) the json tag has no omitempty: zero values are written, and an absent
 *            pointer/list/map/message becomes null;
 *   (inline) the json tag is ",inline": the message's fields are merged into the parent object.
 * Every other scalar is a Go value field, which gogo writes even when zero: zeros are dropped.
 */
const FILES = [
  'runtime',
  'meta',
  'intstr',
  'resource',
  'core',
  'pod',
  'apps',
  'batch',
  'rbac',
  'networking',
  'policy',
  'scheduling',
  'authentication',
  'authorization',
  'autoscaling',
  'discovery',
  'coordination',
];

/** API group → the package segment of `k8s.io.api.<segment>.<version>`. */
const GROUP_PACKAGES: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  batch: 'batch',
  'rbac.authorization.k8s.io': 'rbac',
  'networking.k8s.io': 'networking',
  policy: 'policy',
  'scheduling.k8s.io': 'scheduling',
  'authentication.k8s.io': 'authentication',
  'authorization.k8s.io': 'authorization',
  autoscaling: 'autoscaling',
  'discovery.k8s.io': 'discovery',
  'coordination.k8s.io': 'coordination',
};

const OBJECT_META = '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const DELETE_OPTIONS = '.k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions';

let root: protobuf.Root | undefined;

function schemaRoot(): protobuf.Root {
  if (!root) {
    const loaded = new protobuf.Root();
    for (const file of FILES) {
      const text = readFileSync(new URL(`./schema/${file}.proto`, import.meta.url), 'utf8');
      protobuf.parse(text, loaded, { keepCase: true });
    }
    loaded.resolveAll();
    root = loaded;
  }
  return root;
}

/** `runtime.Unknown`, the envelope that follows the `k8s\0` magic. */
export function envelopeType(): protobuf.Type {
  return schemaRoot().lookupType('.k8s.io.apimachinery.pkg.runtime.Unknown');
}

/**
 * The message for a top-level object kind, or undefined when there is no schema for it.
 * DeleteOptions (the body of `kubectl drain`'s DELETEs) is registered in every group version.
 */
export function objectType(apiVersion: string, kind: string): protobuf.Type | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (!/^v\d+((alpha|beta)\d+)?$/.test(version) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  if (kind === 'DeleteOptions' && version === 'v1') return schemaRoot().lookupType(DELETE_OPTIONS);
  const pkg = Object.hasOwn(GROUP_PACKAGES, group) ? GROUP_PACKAGES[group] : undefined;
  if (!pkg) return undefined;
  const found = schemaRoot().lookup(`.k8s.io.api.${pkg}.${version}.${kind}`);
  // Only objects (with metadata) are bodies; PodSpec and friends are not.
  if (!(found instanceof protobuf.Type)) return undefined;
  return found.fields.metadata?.resolvedType?.fullName === OBJECT_META ? found : undefined;
}
