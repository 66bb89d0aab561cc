import type { KObject } from '../../api-types/index.ts';
import { ApiError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';

export const CLASSES = 'ingressclasses.networking.k8s.io';
const INGRESSES = 'ingresses.networking.k8s.io';
export const CONTROLLER = 'skiff.dev/ingress-controller';
export const CLASS_NAME = 'skiff';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * The DefaultIngressClass admission plugin, part of the API server (in place before it serves, as
 * upstream's admission is): an Ingress created without a class gets the default class, if exactly
 * one class is marked default.
 */
export function installDefaultIngressClass(store: Store): void {
  store.admit(INGRESSES, { create: (o) => defaultClass(store, o) });
}

/**
 * The `skiff` IngressClass (the ingress controller's, marked default), created once; before the
 * API serves, so that an Ingress created right after `cluster up` gets it.
 */
export function ensureIngressClass(store: Store): void {
  if (store.get(CLASSES, undefined, CLASS_NAME)) return;
  try {
    store.create(CLASSES, {
      metadata: {
        name: CLASS_NAME,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
        labels: { 'app.kubernetes.io/component': 'controller' },
      },
      spec: { controller: CONTROLLER },
    });
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
  }
}

function defaultClass(store: Store, o: KObject): void {
  if (o.spec?.ingressClassName || o.metadata.annotations?.[LEGACY_CLASS_ANNOTATION]) return;
  const defaults = store
    .list(CLASSES)
    .items.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  if (defaults.length === 1) {
    o.spec ??= {};
    o.spec.ingressClassName = defaults[0]!.metadata.name;
  }
}
