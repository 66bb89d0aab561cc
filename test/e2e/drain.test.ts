import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/engine.ts';
import { filterBy, useTuiSession } from '../helpers/tui-session.ts';
import { KEY, type Tui } from './pty.ts';

let tui: Tui;
const RIGHT = '\x1b[C';

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node2}
      containers: [{name: web, image: nginx}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: guarded, namespace: default}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: guarded}}
`;

const t = useTuiSession({
  cols: 200,
  setup: async () => {
    await t.kubectl(['apply', '-f', '-'], { input: MANIFEST });
    await waitFor(
      async () =>
        (await t.kubectl(['get', 'deploy', 'guarded', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '2',
      60_000,
      'guarded ready',
    );
  },
});

describe('drain in the TUI', () => {
  it('waits on a PodDisruptionBudget, says so, and finishes by itself once the budget allows', async () => {
    tui = t.open({ args: ['--command', 'no'] });
    await tui.waitFor('node2', 60_000);
    await filterBy(tui, '^node2$');
    await tui.press('r');
    await tui.waitFor('Cordon node node2 and evict its pods');
    await tui.press(RIGHT, KEY.enter);
    const screen = await tui.waitFor('waiting for a disruption budget', 60_000);
    expect(screen).toMatch(
      /Draining node\/node2: \d+\/\d+ pods evicted; \d+ waiting for a disruption budget, retrying every 5s/,
    );
    expect(screen).toContain('The disruption budget guarded needs 2 healthy pods');
    await t.kubectl(['patch', 'pdb', 'guarded', '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
    await tui.waitFor(/node\/node2 drained \(\d+ pods evicted\)/, 60_000);
    // The evicted pods finish terminating (graceful deletion) and leave the node.
    await waitFor(
      async () =>
        (
          await t.kubectl(['get', 'pods', '-l', 'app=guarded', '--field-selector=spec.nodeName=node2', '-o', 'name'])
        ).stdout.trim() === '',
      60_000,
      'guarded pods gone from node2',
    );
    expect((await t.kubectl(['get', 'node', 'node2', '-o', 'jsonpath={.spec.unschedulable}'])).stdout).toBe('true');
  }, 150_000);
});
