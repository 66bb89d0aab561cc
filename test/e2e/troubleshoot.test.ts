import { describe, expect, it } from 'vitest';
import { filterBy, runCommand, useTuiSession } from '../helpers/tui-session.ts';
import { KEY, type Tui } from './pty.ts';

// xray, problems, events of one object, jump to owner — the real CLI in a pty against a real engine.
let tui: Tui;

async function podNames(selector: string): Promise<string[]> {
  const out = await t.kubectl(['get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.stdout.split(/\s+/).filter(Boolean);
}

const t = useTuiSession({
  cols: 160,
  rows: 40,
  setup: async () => {
    await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
    await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    // A rollout that cannot finish: the new ReplicaSet's pod never pulls its image, the old pods stay.
    await t.kubectl(['set', 'image', 'deploy/web', 'nginx=nginx:abc']);
    await t.kubectl(['expose', 'deploy/web', '--port=80']);
    await t.kubectl(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo dying; exit 1']);
    await t.kubectl([
      'wait',
      '--for=jsonpath={.status.containerStatuses[0].restartCount}=2',
      'pod/crash',
      '--timeout=90s',
    ]);
  },
});

/** The text of the highlighted (selected) row. */
function selectedLine(ui: Tui): string {
  const row = ui.highlightedRows()[0];
  return row === undefined ? '' : ui.lines()[row];
}

describe('finding what is wrong, in a terminal', { timeout: 150_000 }, () => {
  it(':xray deploy shows a rollout in the middle: both ReplicaSets, newest first, the stuck pod and why; space folds', async () => {
    tui = await t.opened();
    await runCommand(tui, 'xray deploy', 'Xray(default)');
    const screen = await tui.waitFor(
      (s) => /ImagePullBackOff|ErrImagePull/.test(s) && (s.match(/rs\/web-/g) ?? []).length === 2,
      30_000,
    );
    const lines = screen.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const deploy = at(/▾ deploy\/web\s+(Progressing|ProgressDeadlineExceeded)\s+2\/2\s+1\/2 updated/);
    const newRs = at(/▾ rs\/web-\w+\s+Progressing\s+0\/1\s+revision 2/);
    const oldRs = at(/▾ rs\/web-\w+\s+Ready\s+2\/2\s+revision 1/);
    expect(deploy).toBeGreaterThan(0);
    expect(newRs).toBe(deploy + 1);
    expect(oldRs).toBeGreaterThan(newRs);
    // The stuck pod sits under the new ReplicaSet with its container and the pull error.
    expect(lines[newRs + 1]).toMatch(/▾ pod\/web-\w+-\w+\s+(ImagePullBackOff|ErrImagePull)\s+0\/1/);
    expect(lines[newRs + 2]).toMatch(/· container\/nginx\s+(ImagePullBackOff|ErrImagePull)\s+0\/1\s+nginx:abc/);
    // Two running pods with their containers under the old one.
    expect(lines.slice(oldRs + 1).filter((l) => /pod\/web-\w+-\w+\s+Running\s+1\/1/.test(l))).toHaveLength(2);

    // Fold the new ReplicaSet: its pod line goes, the mark turns.
    for (let i = 0; i < newRs - deploy; i++) await tui.press('j');
    await tui.waitFor(() => selectedLine(tui!).includes('rs/web-'));
    await tui.press(' ');
    await tui.waitFor(/▸ rs\/web-\w+\s+Progressing\s+0\/1\s+revision 2/);
    expect(tui.screen()).not.toMatch(/container\/nginx\s+(ImagePullBackOff|ErrImagePull)/);

    // d acts on the selected node: the ReplicaSet's describe.
    await tui.press('d');
    await tui.waitFor(/Describe replicaset\/web-\w+/);
    await tui.press(KEY.esc);
    await tui.waitFor('Xray(default)');
    // Help lists the xray keys.
    await tui.press('?');
    const help = await tui.waitFor('Expand/Collapse');
    expect(help).toContain('Go to object');
  });

  it(':xray svc goes from the Service through its EndpointSlice to the pods behind it', async () => {
    tui = await t.opened();
    await runCommand(tui, 'xray svc', 'Xray(default)');
    const screen = await tui.waitFor((s) => (s.match(/pod\/web-\w+-\w+\s+Running/g) ?? []).length === 2, 30_000);
    const lines = screen.split('\n');
    const svc = lines.findIndex((l) => /▾ svc\/web\s+Ready\s+2\/\d\s+ClusterIP/.test(l));
    expect(svc).toBeGreaterThan(0);
    expect(lines[svc + 1]).toMatch(/▾ eps\/web-\w+\s+Ready\s+2\/\d\s+ports 80/);
    // The slice lists the not-ready pod of the stuck rollout too (ready: false).
    const pods = lines.slice(svc + 2).filter((l) => /pod\/web-/.test(l));
    expect(pods.filter((l) => /Running\s+1\/1/.test(l))).toHaveLength(2);
    expect(pods.filter((l) => /(ImagePullBackOff|ErrImagePull)\s+0\/1/.test(l))).toHaveLength(1);
    // The cluster's own Service has no selector; it is listed, not flagged.
    expect(screen).toMatch(/svc\/kubernetes\s+Ready/);
  });

  it(':pop lists the crash-looping pod, the stuck rollout and the image pull failure, worst first, nothing healthy; enter jumps to the pod', async () => {
    tui = await t.opened();
    await runCommand(tui, 'pop', 'Problems(default)');
    // The engine runs with a small time scale, so the rollout passes its progress deadline soon.
    const screen = await tui.waitFor(
      (s) => s.includes('CrashLoopBackOff') && s.includes('ImagePullBackOff') && s.includes('ProgressDeadlineExceeded'),
      60_000,
    );
    const lines = screen.split('\n');
    const crash = lines.findIndex((l) =>
      /Critical\s+pod\/crash\s+CrashLoopBackOff\s+container crash restarted \d+ times; last exit Error code 1/.test(l),
    );
    const pull = lines.findIndex((l) =>
      /Error\s+pod\/web-\w+-\w+\s+ImagePullBackOff\s+container nginx: .*nginx:abc/.test(l),
    );
    expect(crash).toBeGreaterThan(0);
    expect(pull).toBeGreaterThan(crash);
    const stuck = lines.findIndex((l) =>
      /Error\s+deploy\/web\s+ProgressDeadlineExceeded\s+ReplicaSet "web-\w+" has timed out progressing/.test(l),
    );
    expect(stuck).toBeGreaterThan(crash);
    expect(screen).not.toMatch(/pod\/web-\w+-\w+\s+Running/);

    // The first row is the crash loop: enter goes to it in the pods table, and the crumbs say so.
    await tui.waitFor(() => /pod\/crash/.test(selectedLine(tui!)));
    await tui.press(KEY.enter);
    await tui.waitFor('<problems> <po/crash>');
    await tui.waitFor(() => /^\W*crash\s+0\/1/.test(selectedLine(tui!)));
    expect(selectedLine(tui)).toContain('CrashLoopBackOff');
    await tui.press(KEY.esc);
    await tui.waitFor('Problems(default)');
    // l on a problem row is the logs of that pod.
    await tui.press('l');
    await tui.waitFor('dying');
  });

  it('E opens the events of one pod, newest first; w keeps only warnings', async () => {
    tui = await t.opened();
    await filterBy(tui, 'crash');
    await tui.waitFor(() => selectedLine(tui!).includes('crash'));
    await tui.press('E');
    const screen = await tui.waitFor(
      (s) => s.includes('Events(default)') && s.includes('po/crash') && /Scheduled/.test(s) && /BackOff/.test(s),
      30_000,
    );
    const rows = screen.split('\n').filter((l) => /^│ \S/.test(l) && !/LAST SEEN/.test(l));
    // Only this pod's events, and the first thing that happened (scheduling) is at the bottom.
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.every((l) => l.includes('pod/crash'))).toBe(true);
    expect(rows[rows.length - 1]).toContain('Scheduled');
    expect(screen).not.toContain('pod/web-');
    await tui.press('w');
    await tui.waitFor('po/crash (warnings)');
    const warnings = await tui.waitFor((s) => /BackOff/.test(s) && !/Scheduled/.test(s));
    expect(warnings).not.toMatch(/Normal/);
    await tui.press('w');
    await tui.waitFor((s) => /Scheduled/.test(s) && !s.includes('(warnings)'));

    // The same toggle on :events, for the whole namespace.
    await runCommand(tui, 'events', 'Events(default)');
    await tui.waitFor(/Normal\s+Scheduled/);
    await tui.press('w');
    const all = await tui.waitFor((s) => s.includes('(warnings)') && /Warning\s+BackOff/.test(s) && !/Normal/.test(s));
    expect(all).toMatch(/Warning\s+(Failed|BackOff)\s+pod\/web-/);

    // A deployment's events include its ReplicaSets' and their pods'.
    await runCommand(tui, 'deploy', 'Deployments(default)');
    await filterBy(tui, 'web');
    await tui.waitFor(() => selectedLine(tui!).includes('web'));
    await tui.press('E');
    const deploy = await tui.waitFor(
      (s) =>
        s.includes('deploy/web') &&
        /ScalingReplicaSet\s+deployment\/web/.test(s) &&
        /SuccessfulCreate\s+replicaset\/web-/.test(s) &&
        /pod\/web-/.test(s),
      30_000,
    );
    expect(deploy).not.toContain('pod/crash');
  });

  it('J jumps from a pod to its ReplicaSet and on to its Deployment; the crumbs show the path; esc goes back', async () => {
    const [pod] = (await podNames('app=web')).filter(Boolean);
    const rs = (await t.kubectl(['get', 'pod', pod, '-o', 'jsonpath={.metadata.ownerReferences[0].name}'])).stdout;
    tui = await t.opened();
    await filterBy(tui, pod);
    await tui.waitFor(() => selectedLine(tui!).includes(pod));
    await tui.press('J');
    await tui.waitFor(`<pods> <rs/${rs}>`);
    await tui.waitFor('ReplicaSets(default)');
    await tui.waitFor(() => selectedLine(tui!).includes(rs));
    await tui.press('J');
    await tui.waitFor(`<pods> <rs/${rs}> <deploy/web>`);
    await tui.waitFor(() => /^\W*web\s+2\/2/.test(selectedLine(tui!)));
    await tui.press('J');
    await tui.waitFor('deployment/web has no owner');
    await tui.press(KEY.esc);
    await tui.waitFor('ReplicaSets(default)');
    expect(tui.screen()).not.toContain('<deploy/web>');
  });

  it(':explain deployment.spec.strategy lists the fields from the OpenAPI schema; enter opens one, d describes it', async () => {
    tui = await t.opened();
    await runCommand(tui, 'explain deployment.spec.strategy', 'deployment.spec.strategy');
    await tui.waitFor(/rollingUpdate ▸\s+RollingUpdateDeployment/);
    await tui.waitFor(() => selectedLine(tui!).includes('rollingUpdate'));
    await tui.press(KEY.enter);
    await tui.waitFor(/maxSurge\s+IntOrString/);
    await tui.press('d');
    const doc = await tui.waitFor('FIELD: spec.strategy.rollingUpdate.maxSurge <IntOrString>');
    expect(doc).toContain('KIND:     Deployment');
    expect(doc).toContain('VERSION:  apps/v1');
  });
});
