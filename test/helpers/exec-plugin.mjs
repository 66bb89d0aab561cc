#!/usr/bin/env node
// A client.authentication.k8s.io/v1 exec credential plugin for tests (never shipped).
//
// Each run logs in "for real": it creates a Secret and asks the engine's TokenRequest API for a
// token of a ServiceAccount bound to that Secret. Deleting the Secret revokes the token (the
// engine checks bound objects), which is how a test makes a credential expire on the server.
// The credential it prints claims to expire after PLUGIN_TTL_SECONDS, so clients must run it
// again after that.
//
// Environment (set through the kubeconfig's exec.env):
//   PLUGIN_SERVER, PLUGIN_CA_FILE, PLUGIN_ADMIN_TOKEN  where and as whom to request tokens
//   PLUGIN_SA          namespace/name of the ServiceAccount
//   PLUGIN_DIR         state: `runs` (a counter) and `issued` (one "run secret" line per token)
//   PLUGIN_TTL_SECONDS the expirationTimestamp it claims (default 3600)
//   PLUGIN_PROMPT      when set, print a device-code prompt on stderr and wait until the file
//                      PLUGIN_DIR/approved exists (the user "logged in in the browser")
//   PLUGIN_READ_STDIN  when set, ask for a one-time code on the terminal (stderr) and read it from
//                      stdin, as plugins with interactiveMode: Always do; the code is SKIF-F00D
//   PLUGIN_CERT_DIR    when set, also return cert-N.pem / key-N.pem of run N (if present)
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

const env = process.env;
const info = JSON.parse(env.KUBERNETES_EXEC_INFO ?? '{}');
if (info.apiVersion !== 'client.authentication.k8s.io/v1') {
  process.stderr.write(`unexpected KUBERNETES_EXEC_INFO: ${env.KUBERNETES_EXEC_INFO}\n`);
  process.exit(2);
}
const dir = env.PLUGIN_DIR;
const runsFile = join(dir, 'runs');
const run = (existsSync(runsFile) ? Number(readFileSync(runsFile, 'utf8')) : 0) + 1;
writeFileSync(runsFile, String(run));

if (env.PLUGIN_PROMPT) {
  process.stderr.write('To sign in, open https://login.example.test/device and enter the code SKIF-F00D\n');
  while (!existsSync(join(dir, 'approved'))) await new Promise((r) => setTimeout(r, 100));
  process.stderr.write('Signed in.\n');
}

if (env.PLUGIN_READ_STDIN) {
  if (!info.spec?.interactive) {
    process.stderr.write('this plugin needs a terminal\n');
    process.exit(3);
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const code = (await rl.question('Enter the one-time code: ')).trim();
  rl.close();
  if (code !== 'SKIF-F00D') {
    process.stderr.write(`wrong code ${JSON.stringify(code)}\n`);
    process.exit(4);
  }
}

function api(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      env.PLUGIN_SERVER + path,
      {
        method,
        ca: readFileSync(env.PLUGIN_CA_FILE),
        headers: { authorization: `Bearer ${env.PLUGIN_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode < 300
            ? resolve(JSON.parse(text))
            : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const [ns, sa] = env.PLUGIN_SA.split('/');
const secret = await api('POST', `/api/v1/namespaces/${ns}/secrets`, {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { generateName: `login-${run}-` },
  type: 'Opaque',
});
const tr = await api('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenRequest',
  spec: {
    expirationSeconds: 600,
    boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: secret.metadata.name, uid: secret.metadata.uid },
  },
});
appendFileSync(join(dir, 'issued'), `${run} ${secret.metadata.name}\n`);

const status = {
  token: tr.status.token,
  expirationTimestamp: new Date(Date.now() + Number(env.PLUGIN_TTL_SECONDS ?? 3600) * 1000).toISOString(),
};
if (env.PLUGIN_CERT_DIR && existsSync(join(env.PLUGIN_CERT_DIR, `cert-${run}.pem`))) {
  status.clientCertificateData = readFileSync(join(env.PLUGIN_CERT_DIR, `cert-${run}.pem`), 'utf8');
  status.clientKeyData = readFileSync(join(env.PLUGIN_CERT_DIR, `key-${run}.pem`), 'utf8');
}
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
