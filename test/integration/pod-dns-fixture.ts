import type { TestEngine } from '../helpers/engine.ts';

export const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: my-nginx }
spec:
  replicas: 1
  selector: { matchLabels: { app: my-nginx } }
  template:
    metadata: { labels: { app: my-nginx } }
    spec:
      containers: [{ name: nginx, image: nginx, ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: my-nginx }
spec:
  selector: { app: my-nginx }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: v1
kind: Pod
metadata: { name: bb }
spec:
  containers: [{ name: bb, image: busybox, command: [sleep, "3600"] }]
---
apiVersion: v1
kind: Pod
metadata: { name: custom }
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: [127.0.0.53]
    searches: [example.internal]
    options: [{ name: ndots, value: "2" }, { name: edns0 }]
  hostAliases: [{ ip: 127.0.0.42, hostnames: [db.local, db] }]
  containers: [{ name: bb, image: busybox, command: [sleep, "3600"] }]
`;

export async function setup(t: TestEngine): Promise<void> {
  await t.kubectl(['apply', '-f', '-'], { input: APP });
  await t.kubectl(['rollout', 'status', 'deployment/my-nginx', '--timeout=60s']);
  await t.kubectl(['wait', '--for=condition=Ready', 'pod/bb', 'pod/custom', '--timeout=60s']);
}

export const sandboxed = async (t: TestEngine) =>
  !(await t.kubectl(['get', 'events', '--field-selector', 'reason=Unsandboxed', '-o', 'name'])).stdout.trim();
