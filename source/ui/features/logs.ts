import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../api-types/index.ts';
import type { Controller } from '../controller.ts';
import { selectorString } from '../drill.ts';
import { layoutFor } from '../layout.ts';
import { topView, type TextViewState } from '../state/types.ts';
import { LogDoc, type LogSettings } from './log-doc.ts';

const WORKLOADS = ['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch'];
export const LOG_RESOURCES = ['pods', ...WORKLOADS];

/** Since/tail choices on the digit keys of the logs view. */
export const LOG_RANGES: Record<string, { label: string; tailLines?: number; sinceSeconds?: number }> = {
  '0': { label: 'tail 200', tailLines: 200 },
  '1': { label: 'last 1m', sinceSeconds: 60 },
  '2': { label: 'last 5m', sinceSeconds: 300 },
  '3': { label: 'last 15m', sinceSeconds: 900 },
  '4': { label: 'last 1h', sinceSeconds: 3600 },
  '5': { label: 'everything' },
};

function containerNames(obj: KObject): string[] {
  const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return (spec?.containers ?? []).map((c: any) => c.name);
}

function defaultContainer(obj: KObject): string | undefined {
  return obj.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? containerNames(obj)[0];
}

export function logCommands(c: Controller): Record<string, (key: string) => void> {
  const open = (previous: boolean) => {
    const sel = c.selection();
    const session = c.session;
    if (!sel || !session) return;
    void c.fullObject(sel.view, sel.row).then((obj) => {
      if (!obj) return;
      const settings: LogSettings = { container: defaultContainer(obj), previous, timestamps: false, tailLines: 200 };
      const ns = sel.row.namespace ?? 'default';
      let doc: LogDoc;
      let release = () => {};
      if (sel.view.resource === 'pods') {
        doc = new LogDoc(session.transport, { kind: 'pod', namespace: ns, pod: sel.row.name }, settings);
      } else {
        const selector = selectorString(obj.spec?.selector);
        const pods = session.registry.get('pods');
        if (!selector || !pods) return c.toast(`${sel.row.name} has no pod selector`, 'error');
        const acquired = session.pool.acquire({ resource: pods, namespace: ns, labelSelector: selector });
        release = acquired.release;
        doc = new LogDoc(session.transport, { kind: 'pods', namespace: ns, pods: acquired.cache }, settings);
      }
      const close = doc.close.bind(doc);
      doc.close = () => {
        close();
        release();
      };
      const kind = sel.info.singular || sel.info.plural;
      c.pushText({ mode: 'logs', title: `${kind}/${sel.row.name}`, resource: sel.view.resource, follow: true, wrap: false }, doc);
    });
  };

  const current = (): { view: TextViewState; doc: LogDoc } | undefined => {
    const view = topView(c.state);
    if (view?.kind !== 'text' || view.mode !== 'logs') return undefined;
    const doc = c.docFor(view);
    return doc instanceof LogDoc ? { view, doc } : undefined;
  };

  return {
    'obj.logs': () => open(false),
    'obj.previousLogs': () => open(true),
    'logs.follow': () => {
      const cur = current();
      if (!cur) return;
      // Stopping keeps the lines that are on screen now; the view no longer moves.
      const bottom = Math.max(0, cur.doc.getSnapshot().lines.length - layoutFor(c.state).innerRows);
      c.replaceTop({ ...cur.view, follow: !cur.view.follow, top: cur.view.follow ? bottom : cur.view.top });
      c.toast(cur.view.follow ? 'Autoscroll off' : 'Autoscroll on');
    },
    'logs.wrap': () => {
      const cur = current();
      if (cur) c.replaceTop({ ...cur.view, wrap: !cur.view.wrap });
    },
    'logs.timestamps': () => {
      const cur = current();
      if (cur) cur.doc.restart({ timestamps: !cur.doc.settings.timestamps });
    },
    'logs.previous': () => {
      const cur = current();
      if (cur) cur.doc.restart({ previous: !cur.doc.settings.previous });
    },
    'logs.range': (key) => {
      const cur = current();
      const range = LOG_RANGES[key];
      if (!cur || !range) return;
      cur.doc.restart({ tailLines: range.tailLines, sinceSeconds: range.sinceSeconds });
      c.replaceTop({ ...cur.view, follow: true });
      c.toast(`Logs: ${range.label}`);
    },
    'logs.container': () => {
      const cur = current();
      const session = c.session;
      if (!cur || !session) return;
      const [kind, name] = cur.view.title.split('/');
      const info = session.registry.resolve(kind);
      const ns = c.state.stack.findLast((v) => v.kind === 'table');
      if (!info || ns?.kind !== 'table') return;
      const row = c.tableModel(ns).rows.find((r) => r.name === name);
      if (!row) return;
      void c.fullObject(ns, row).then((obj) => {
        if (!obj) return;
        const names = containerNames(obj);
        if (names.length < 2) return c.toast(`Only one container: ${names[0] ?? 'none'}`);
        c.ask({ kind: 'pick', title: 'Container', options: names, index: Math.max(0, names.indexOf(cur.doc.settings.container ?? '')) }, (a) => {
          if (a.ok && a.value) cur.doc.restart({ container: a.value });
        });
      });
    },
    'logs.save': () => {
      const cur = current();
      if (!cur) return;
      const dir = join(tmpdir(), 'skiff-logs');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${cur.view.title.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
      const lines = cur.doc.getSnapshot().lines;
      writeFileSync(file, lines.slice(0, lines.length).join('\n') + '\n');
      c.toast(`Saved ${lines.length} lines to ${file}`, 'success');
    },
  };
}
