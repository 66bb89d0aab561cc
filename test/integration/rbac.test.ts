import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { ApiClient } from '../reliability/support/client.ts';

// RBAC, service-account tokens, reviews and impersonation, driven by the real kubectl.
let t: TestEngine;
let api: ApiClient;
let viewer: string;
const SA = 'system:serviceaccount:default:viewer';
const NS = '/api/v1/namespaces/default';

const forbiddenIn = (verb: string, resource: string, group = '', ns = 'default') =>
  `User "${SA}" cannot ${verb} resource "${resource}" in API group "${group}" ${ns ? `in the namespace "${ns}"` : 'at the cluster scope'}`;

async function as(token: string, args: string[]) {
  return t.kubectl([`--token=${token}`, ...args], { reject: false });
}

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert);
  await t.kubectl(['create', 'serviceaccount', 'viewer']);
  await t.kubectl(['create', 'rolebinding', 'viewer', '--clusterrole=view', '--serviceaccount=default:viewer']);
  viewer = (await t.kubectl(['create', 'token', 'viewer', '--duration=1h'])).stdout.trim();
  await t.kubectl(['run', 'web', '--image=nginx']);
  // No kubelet here (apiOnly): kubectl port-forward only asks the API once the pod reports Running.
  await t.kubectl([
    'patch',
    'pod',
    'web',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"phase":"Running"}}',
  ]);
  await t.kubectl(['create', 'deployment', 'd', '--image=nginx']);
  await t.kubectl(['create', 'secret', 'generic', 's', '--from-literal=a=b']);
}, 60_000);
afterAll(async () => {
  api?.close();
  await t?.stop();
});

describe('a view-bound service account', () => {
  it('reads: get, list, watch, logs', async () => {
    expect((await as(viewer, ['get', 'pods'])).stdout).toContain('web');
    expect((await as(viewer, ['get', 'deploy', 'd', '-o', 'name'])).stdout).toContain('deployment.apps/d');
    const watch = await api.request({ path: `${NS}/pods?watch=true&timeoutSeconds=1`, token: viewer });
    expect(watch.status).toBe(200);
    // The kubelet is not running in this engine: past authorization, logs answer 503, not 403.
    expect((await api.request({ path: `${NS}/pods/web/log`, token: viewer })).status).toBe(503);
  });

  it('is refused every write, verb and subresource with upstream wording', async () => {
    // kubectl words a refused stream upgrade its own way around the apiserver's message.
    const upgrade = 'error: error upgrading connection: ';
    const cases: Array<[string[], string, string?]> = [
      [['delete', 'pod', 'web'], `pods "web" is forbidden: ${forbiddenIn('delete', 'pods')}`],
      [['run', 'x', '--image=nginx'], `pods is forbidden: ${forbiddenIn('create', 'pods')}`],
      [['label', 'pod', 'web', 'a=b'], `pods "web" is forbidden: ${forbiddenIn('patch', 'pods')}`],
      [
        ['scale', 'deploy', 'd', '--replicas=3'],
        `deployments.apps "d" is forbidden: ${forbiddenIn('patch', 'deployments/scale', 'apps')}`,
      ],
      [['exec', 'web', '--', 'ls'], `pods "web" is forbidden: ${forbiddenIn('create', 'pods/exec')}`],
      [
        ['port-forward', 'pod/web', '18080:80'],
        `pods "web" is forbidden: ${forbiddenIn('create', 'pods/portforward')}`,
        upgrade,
      ],
      [['get', 'secrets'], `secrets is forbidden: ${forbiddenIn('list', 'secrets')}`],
      [['get', 'nodes'], `nodes is forbidden: ${forbiddenIn('list', 'nodes', '', '')}`],
      [
        ['create', 'token', 'viewer'],
        `serviceaccounts "viewer" is forbidden: ${forbiddenIn('create', 'serviceaccounts/token')}`,
        'error: failed to create token: ',
      ],
      [['get', 'pods', '-n', 'kube-system'], `pods is forbidden: ${forbiddenIn('list', 'pods', '', 'kube-system')}`],
    ];
    for (const [args, message, prefix = 'Error from server (Forbidden): '] of cases) {
      const r = await as(viewer, args);
      expect(r.exitCode, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain(`${prefix}${message}`);
    }
  }, 60_000);

  it('is refused raw writes on subresources (status, eviction) and deletecollection with a 403 Status', async () => {
    const calls: Array<[string, string, string, string]> = [
      [
        'PATCH',
        `${NS}/pods/web/status`,
        '{"status":{"phase":"Failed"}}',
        `pods "web" is forbidden: ${forbiddenIn('patch', 'pods/status')}`,
      ],
      [
        'POST',
        `${NS}/pods/web/eviction`,
        '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web"}}',
        `pods "web" is forbidden: ${forbiddenIn('create', 'pods/eviction')}`,
      ],
      ['DELETE', `${NS}/pods`, '', `pods is forbidden: ${forbiddenIn('deletecollection', 'pods')}`],
      [
        'PUT',
        `/apis/apps/v1/namespaces/default/deployments/d/scale`,
        '{"spec":{"replicas":2}}',
        `deployments.apps "d" is forbidden: ${forbiddenIn('update', 'deployments/scale', 'apps')}`,
      ],
    ];
    const rv = t.engine.ctx.store.currentRV();
    for (const [method, path, body, message] of calls) {
      const ct = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      const r = await api.request({
        method,
        path,
        token: viewer,
        body: body || undefined,
        headers: body ? { 'Content-Type': ct } : {},
      });
      expect(r.status, path).toBe(403);
      const status = JSON.parse(r.text);
      expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message });
    }
    expect(t.engine.ctx.store.currentRV()).toBe(rv);
  });

  it('answers auth can-i and whoami for itself', async () => {
    expect((await as(viewer, ['auth', 'can-i', 'list', 'pods'])).stdout.trim()).toBe('yes');
    const no = await as(viewer, ['auth', 'can-i', 'delete', 'pods']);
    expect(no.stdout.trim()).toBe('no');
    expect(no.exitCode).toBe(1);
    expect((await as(viewer, ['auth', 'can-i', 'get', 'pods', '--subresource=log'])).stdout.trim()).toBe('yes');
    const list = await as(viewer, ['auth', 'can-i', '--list']);
    expect(list.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list.stdout).toContain('selfsubjectaccessreviews.authorization.k8s.io');
    const who = await as(viewer, ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(who.stdout).status.userInfo).toMatchObject({
      username: SA,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
  });
});

describe('the kubeconfig admin', () => {
  it('is kubernetes-admin in system:masters and may do anything', async () => {
    const who = await t.kubectl(['auth', 'whoami']);
    expect(who.stdout).toMatch(/Username\s+kubernetes-admin/);
    expect(who.stdout).toMatch(/Groups\s+\[system:masters system:authenticated\]/);
    expect((await t.kubectl(['auth', 'can-i', '*', '*'])).stdout.trim()).toBe('yes');
  });

  it('impersonates with --as and --as-group', async () => {
    expect((await t.kubectl(['auth', 'can-i', 'list', 'pods', `--as=${SA}`])).stdout.trim()).toBe('yes');
    expect((await t.kubectl(['auth', 'can-i', 'delete', 'pods', `--as=${SA}`], { reject: false })).stdout.trim()).toBe(
      'no',
    );
    const bob = await t.kubectl(['get', 'pods', '--as=bob'], { reject: false });
    expect(bob.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect((await t.kubectl(['get', 'pods', '--as=bob', '--as-group=system:masters'])).stdout).toContain('web');
    const who = await t.kubectl(['auth', 'whoami', '--as=bob', '--as-group=devs']);
    expect(who.stdout).toMatch(/Username\s+bob/);
    expect(who.stdout).toMatch(/Groups\s+\[devs system:authenticated\]/);
  });

  it('answers SubjectAccessReview for another user', async () => {
    const sar = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: SA,
        groups: ['system:serviceaccounts'],
        resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' },
      },
    };
    const r = await api.json('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar);
    expect(r.status).toBe(201);
    expect(r.body.status.allowed).toBe(true);
    sar.spec.resourceAttributes.verb = 'delete';
    expect(
      (await api.json('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar)).body.status.allowed,
    ).toBe(false);
  });
});

describe('bad credentials and escalation', () => {
  it('refuses impersonation without the impersonate verb', async () => {
    const r = await as(viewer, ['get', 'pods', '--as=bob']);
    expect(r.stderr).toContain(
      `Error from server (Forbidden): users "bob" is forbidden: User "${SA}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    );
  });

  it('refuses a foreign, an expired and an audience-mismatched token with 401 naming the problem', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const sa = t.engine.ctx.store.get('serviceaccounts', 'default', 'viewer')!;
    const claims = {
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'viewer', uid: sa.metadata.uid } },
    };
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('https://kubernetes.default.svc.cluster.local')
      .setAudience('https://kubernetes.default.svc.cluster.local')
      .setSubject(SA)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    const issuer = t.engine.ctx.auth!.issuer;
    const expired = issuer.issue(sa, { expirationSeconds: -10 }).token;
    const otherAudience = issuer.issue(sa, { expirationSeconds: 600, audiences: ['vault'] }).token;
    const cases: Array<[string, string]> = [
      [foreign, 'not signed by this cluster'],
      [expired, 'has expired'],
      [otherAudience, 'audiences do not match'],
      ['not-a-token', 'invalid bearer token'],
    ];
    for (const [token, why] of cases) {
      const r = await api.request({ path: `${NS}/pods`, token });
      expect(r.status, why).toBe(401);
      expect(JSON.parse(r.text)).toMatchObject({ reason: 'Unauthorized', code: 401 });
      expect(JSON.parse(r.text).message, why).toContain(why);
      const k = await as(token, ['get', 'pods']);
      expect(k.stderr).toContain('You must be logged in to the server');
    }
    // The audience-bound token passes a TokenReview for its own audience.
    const review = await api.json('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: otherAudience, audiences: ['vault'] },
    });
    expect(review.body.status).toMatchObject({ authenticated: true, user: { username: SA } });
  });

  it('revokes tokens whose service account or bound pod is deleted', async () => {
    await t.kubectl(['create', 'sa', 'short']);
    await t.kubectl(['create', 'rolebinding', 'short', '--clusterrole=view', '--serviceaccount=default:short']);
    await t.kubectl(['run', 'holder', '--image=nginx', '--overrides={"spec":{"serviceAccountName":"short"}}']);
    const bound = (
      await t.kubectl(['create', 'token', 'short', '--bound-object-kind=Pod', '--bound-object-name=holder'])
    ).stdout.trim();
    const plain = (
      await t.kubectl(['create', 'token', 'short', '--audience=https://kubernetes.default.svc.cluster.local'])
    ).stdout.trim();
    const who = JSON.parse((await as(bound, ['auth', 'whoami', '-o', 'json'])).stdout);
    expect(who.status.userInfo.extra['authentication.kubernetes.io/pod-name']).toEqual(['holder']);
    t.engine.ctx.store.forceRemove('pods', 'default', 'holder');
    expect((await as(bound, ['get', 'pods'])).stderr).toContain('You must be logged in');
    expect((await as(plain, ['get', 'pods'])).exitCode).toBe(0);
    await t.kubectl(['delete', 'sa', 'short']);
    const r = await api.request({ path: `${NS}/pods`, token: plain });
    expect(r.status).toBe(401);
    expect(r.text).toContain('service account default/short has been deleted');
  });

  it('refuses a Role granting more than its creator holds, and binding roles it cannot grant', async () => {
    await t.kubectl(['create', 'sa', 'lead']);
    await t.kubectl([
      'create',
      'role',
      'rbac-manager',
      '--verb=get,list,create,update,delete',
      '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io,pods',
    ]);
    await t.kubectl(['create', 'rolebinding', 'lead', '--role=rbac-manager', '--serviceaccount=default:lead']);
    const lead = (await t.kubectl(['create', 'token', 'lead'])).stdout.trim();
    const rv = t.engine.ctx.store.currentRV();
    const esc = await as(lead, ['create', 'role', 'more', '--verb=get,delete', '--resource=secrets']);
    expect(esc.stderr).toContain(
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "more" is forbidden: user "system:serviceaccount:default:lead" (groups=["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:',
    );
    expect(esc.stderr).toContain('{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}');
    const bind = await as(lead, [
      'create',
      'rolebinding',
      'grab',
      '--clusterrole=edit',
      '--serviceaccount=default:lead',
    ]);
    expect(bind.stderr).toContain(
      'rolebindings.rbac.authorization.k8s.io "grab" is forbidden: user "system:serviceaccount:default:lead"',
    );
    const missing = await as(lead, ['create', 'rolebinding', 'ghost', '--role=nope', '--serviceaccount=default:lead']);
    expect(missing.stderr).toContain('roles.rbac.authorization.k8s.io "nope" not found');
    expect(t.engine.ctx.store.currentRV()).toBe(rv);
    // Within what it holds, it may create roles and bindings.
    expect((await as(lead, ['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods'])).exitCode).toBe(0);
    expect(
      (await as(lead, ['create', 'rolebinding', 'pod-reader', '--role=pod-reader', '--serviceaccount=default:viewer']))
        .exitCode,
    ).toBe(0);
  });

  it('refuses a pod that names a service account that does not exist', async () => {
    const rv = t.engine.ctx.store.currentRV();
    const r = await t.kubectl(['run', 'ghost', '--image=nginx', '--overrides={"spec":{"serviceAccountName":"nope"}}'], {
      reject: false,
    });
    expect(r.stderr).toContain(
      'Error from server (Forbidden): pods "ghost" is forbidden: error looking up service account default/nope: serviceaccount "nope" not found',
    );
    expect(t.engine.ctx.store.currentRV()).toBe(rv);
  });

  it('stores an admin binding to a missing role, which grants nothing until the role exists', async () => {
    await t.kubectl(['create', 'sa', 'waiting']);
    await t.kubectl(['create', 'rolebinding', 'waiting', '--role=later', '--serviceaccount=default:waiting']);
    const tok = (await t.kubectl(['create', 'token', 'waiting'])).stdout.trim();
    expect((await as(tok, ['auth', 'can-i', 'list', 'configmaps'])).stdout.trim()).toBe('no');
    await t.kubectl(['create', 'role', 'later', '--verb=list', '--resource=configmaps']);
    expect((await as(tok, ['auth', 'can-i', 'list', 'configmaps'])).stdout.trim()).toBe('yes');
  });

  it('aggregates labelled ClusterRoles into view', async () => {
    await t.kubectl([
      'create',
      'clusterrole',
      'widgets-view',
      '--verb=get,list',
      '--resource=leases.coordination.k8s.io',
    ]);
    await t.kubectl(['label', 'clusterrole', 'widgets-view', 'rbac.authorization.k8s.io/aggregate-to-view=true']);
    expect((await as(viewer, ['auth', 'can-i', 'list', 'leases.coordination.k8s.io'])).stdout.trim()).toBe('yes');
    await t.kubectl(['delete', 'clusterrole', 'widgets-view']);
    expect((await as(viewer, ['auth', 'can-i', 'list', 'leases.coordination.k8s.io'])).stdout.trim()).toBe('no');
  });
});
