import { resourceId } from '../../client/resource.ts';
import { parseCommand } from '../commands.ts';
import type { Controller } from '../controller.ts';
import { CONTEXTS } from '../state/view.ts';
import { withRecent } from '../state/types.ts';
import { runActionCommand } from './cli-commands.ts';
import { openHelp, setNamespace } from './navigation.ts';
import { clientCommand } from './client-commands.ts';
import { expandAlias } from '../config/aliases.ts';
import { showConfig } from './config-view.ts';
import { runTroubleshootCommand } from '../troubleshoot/commands.ts';
import { openPulses } from './pulses.ts';

/** Runs a `:` command line; false when it was not understood (`quiet`: no toast about it). */
export function runCommand(c: Controller, text: string, quiet = false): boolean {
  if (text.trim() === 'config') {
    showConfig(c);
    return true;
  }
  const expanded = expandAlias(text, c.config.active.aliases);
  const troubleshoot = runTroubleshootCommand(c, expanded);
  if (troubleshoot !== undefined) return troubleshoot;
  const cmd = parseCommand(expanded);
  const session = c.session;
  switch (cmd.type) {
    case 'empty':
      return true;
    case 'quit':
      c.quit();
      return true;
    case 'help':
      openHelp(c);
      return true;
    case 'contexts':
      c.resetTo(c.newTable(CONTEXTS, null));
      return true;
    case 'pulses':
      openPulses(c);
      return true;
    case 'context':
      if (!session?.contexts().some((x) => x.name === cmd.name)) {
        c.toast(`No context "${cmd.name}"`, 'error');
        return false;
      }
      c.switchContext(cmd.name);
      return true;
    case 'namespace':
      setNamespace(c, cmd.name);
      return true;
    case 'error':
      c.toast(cmd.message, 'error');
      return false;
    case 'apply':
    case 'deleteFile':
    case 'createDeployment':
    case 'run':
    case 'expose':
      runActionCommand(c, cmd);
      return true;
    case 'resource': {
      if (!session) return false;
      if (clientCommand(c, cmd.name, expanded)) return true;
      const info = session.registry.resolve(cmd.name);
      if (!info || !info.verbs.includes('list')) {
        if (quiet) return false;
        // Maybe installed since we connected (a new CRD): ask discovery again before giving up.
        void session.rediscover().then(
          (changed) => {
            if (c.session !== session) return;
            if (changed && session.registry.resolve(cmd.name)?.verbs.includes('list')) runCommand(c, text, true);
            else c.toast(`Unknown command or resource "${cmd.name}"`, 'error');
          },
          () => c.toast(`Unknown command or resource "${cmd.name}"`, 'error'),
        );
        return false;
      }
      let ns = cmd.namespace === undefined ? c.state.namespace : cmd.namespace;
      if (cmd.namespace !== undefined) {
        c.store.update((s) => ({
          ...s,
          namespace: ns,
          recentNamespaces: ns ? withRecent(s.recentNamespaces, ns) : s.recentNamespaces,
        }));
      }
      if (!info.namespaced) ns = null;
      c.resetTo({ ...c.newTable(resourceId(info), ns), labelSelector: cmd.labelSelector });
      return true;
    }
  }
}
