import * as k8s from '@kubernetes/client-node';

const kc = new k8s.KubeConfig();
kc.loadFromDefault(); // $KUBECONFIG or ~/.kube/config: the context `skiff cluster up` made current
const core = kc.makeApiClient(k8s.CoreV1Api);

const namespaces = await core.listNamespace();
console.log(namespaces.items.map((ns) => ns.metadata.name));
await core.createNamespacedConfigMap({
  namespace: 'default',
  body: { metadata: { name: 'hello-js' }, data: { from: 'javascript' } },
});
const cm = await core.readNamespacedConfigMap({ name: 'hello-js', namespace: 'default' });
console.log(cm.metadata.name, cm.data);
await core.deleteNamespacedConfigMap({ name: 'hello-js', namespace: 'default' });
