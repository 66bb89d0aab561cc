import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// A CRD served at v1 (deprecated) and v2 (storage, preferred), with different printer columns.
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: false
    deprecated: true
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    schema:
      openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {cronSpec: {type: string}}}}}
  - name: v2
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Zone, type: string, jsonPath: .spec.timezone}
    schema:
      openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {cronSpec: {type: string}, timezone: {type: string, default: UTC}}}}}
`;

let t: TestEngine;
let tui: Tui | undefined;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['apply', '-f', '-'], { input: CRD });
  await t.kubectl(['wait', '--for=condition=established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
  await t.kubectl(['apply', '-f', '-'], {
    input:
      'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: nightly, namespace: default}\nspec: {cronSpec: "0 3 * * *"}\n',
  });
}, 60_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('the TUI and custom resources', () => {
  it(':crd lists the definitions, :ct opens the kind at its preferred version with its printer columns', async () => {
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
    await tui.waitFor('default', 60_000);
    await tui.press(':');
    await tui.type('crd');
    await tui.press(KEY.enter);
    await tui.waitFor('crontabs.stable.example.com', 30_000);
    await tui.press(':');
    await tui.type('ct');
    await tui.press(KEY.enter);
    const screen = await tui.waitFor((s) => /nightly\s+0 3 \* \* \*\s+UTC/.test(s), 30_000);
    expect(screen).toMatch(/NAME\s+SPEC\s+ZONE/);
  }, 120_000);
});
