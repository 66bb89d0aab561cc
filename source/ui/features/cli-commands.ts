import type { KObject } from '../../api-types/index.ts';
import { applyAll, readManifests } from '../../client/apply.ts';
import { errorMessage } from '../../client/errors.ts';
import { deploymentManifest, podManifest, serviceManifest } from '../../client/manifests.ts';
import { resourcePath } from '../../client/resource.ts';
import type { ParsedCommand } from '../commands.ts';
import type { Controller } from '../controller.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'session' | 'state' | 'toast'>;

type ActionCommand = Extract<ParsedCommand, { type: 'apply' | 'deleteFile' | 'createDeployment' | 'run' | 'expose' }>;

/** `:apply -f`, `:delete -f`, `:create deployment`, `:run`, `:expose`: results as toast lines. */
export function runActionCommand(c: Host, cmd: ActionCommand): void {
  const session = c.session;
  if (!session) return;
  if (c.state.readonly)
    return c.toast(`:${cmd.type === 'deleteFile' ? 'delete' : cmd.type} is disabled in read-only mode`, 'error');
  const t = session.transport;
  const ns = c.state.namespace ?? session.defaultNamespace;
  void (async () => {
    try {
      switch (cmd.type) {
        case 'apply':
        case 'deleteFile': {
          const docs = readManifests(cmd.file);
          if (!docs.length) return c.toast(`no objects found in ${cmd.file}`, 'error');
          const lines = await applyAll(t, session.registry, docs, ns, cmd.type === 'apply' ? 'apply' : 'delete');
          return c.toast(lines.map((l) => l.text).join('\n'), lines.every((l) => l.ok) ? 'success' : 'error');
        }
        case 'createDeployment': {
          const obj = deploymentManifest(cmd.name, cmd.image, ns, cmd.replicas ?? 1, cmd.port);
          await t.json({
            method: 'POST',
            path: resourcePath(session.registry.get('deployments.apps')!, ns),
            body: obj,
          });
          return c.toast(`deployment.apps/${cmd.name} created`, 'success');
        }
        case 'run': {
          const obj = podManifest(cmd.name, cmd.image, ns, cmd.port);
          await t.json({ method: 'POST', path: resourcePath(session.registry.get('pods')!, ns), body: obj });
          return c.toast(`pod/${cmd.name} created`, 'success');
        }
        case 'expose': {
          const info = session.registry.resolve(cmd.kind);
          if (!info) return c.toast(`unknown resource "${cmd.kind}"`, 'error');
          const target = await t.json<KObject>({ path: resourcePath(info, ns, cmd.name) });
          const svc = serviceManifest(target, {
            name: cmd.serviceName,
            port: cmd.port,
            targetPort: cmd.targetPort,
            type: cmd.serviceType,
          });
          await t.json({ method: 'POST', path: resourcePath(session.registry.get('services')!, ns), body: svc });
          return c.toast(`service/${svc.metadata.name} exposed`, 'success');
        }
      }
    } catch (err) {
      c.toast(errorMessage(err), 'error');
    }
  })();
}
