// LIST of 2,000 custom objects at their storage version vs at another served version (conversion
// None: apiVersion changed and the version's schema prunes each item), same engine, interleaved.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../source/engine/engine.ts';
import { summarize, timedGet, type Figure } from './lib.ts';

const N = 2000;
const ROUNDS = 15;
const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.bench.example.com}
spec:
  group: bench.example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - {name: v1beta1, served: true, storage: false, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: string}, count: {type: integer}}}}}}}
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: string}, count: {type: integer}, color: {type: string}}}}}}}
`;

function post(url: string, token: string, ca: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', ca, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export async function run(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-crdver-'));
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-bench-crdver-kube-'));
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  const env = { HOME: kubeHome, KUBECONFIG: e.kubeconfigPath, PATH: process.env.PATH ?? '' };
  const storage: number[] = [];
  const converted: number[] = [];
  try {
    await execa(KUBECTL, ['apply', '-f', '-'], { env, extendEnv: false, input: CRD });
    await execa(KUBECTL, ['wait', '--for=condition=established', 'crd/widgets.bench.example.com'], {
      env,
      extendEnv: false,
    });
    const base = `${e.url}/apis/bench.example.com`;
    for (let i = 0; i < N; i++) {
      const status = await post(`${base}/v1/namespaces/default/widgets`, e.token, e.caCert, {
        apiVersion: 'bench.example.com/v1',
        kind: 'Widget',
        metadata: { name: `w-${i}`, labels: { app: 'bench' } },
        spec: { size: 'large', count: i, color: 'blue' },
      });
      if (status !== 201) throw new Error(`create w-${i}: ${status}`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      storage.push((await timedGet(`${base}/v1/namespaces/default/widgets`, e.token, e.caCert)).ms);
      converted.push((await timedGet(`${base}/v1beta1/namespaces/default/widgets`, e.token, e.caCert)).ms);
    }
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(kubeHome, { recursive: true, force: true });
  }
  return [
    summarize(`LIST ${N} custom objects at the storage version`, 'ms', storage),
    summarize(`LIST ${N} custom objects at another served version (converted)`, 'ms', converted),
  ];
}
