import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Controller } from '../controller.ts';
import { selectorString } from '../drill.ts';
import { layoutFor } from '../layout.ts';
import { topView, type TextViewState } from '../state/types.ts';
import { LogDoc, type LogSettings } from './log-doc.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { allContainers, containerLabel, defaultContainer } from '../../api-types/pod-spec.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  | 'ask'
  | 'config'
  | 'docFor'
  | 'fullObject'
  | 'pushText'
  | 'replaceTop'
  | 'selection'
  | 'session'
  | 'state'
  | 'tableModel'
  | 'toast'
>;

/** Since/tail choices on the digit keys of the logs view. */
export const LOG_RANGES: Record<string, { label: string; tailLines?: number; sinceSeconds?: number }> = {
  '0': { label: 'tail 200', tailLines: 200 },
  '1': { label: 'last 1m', sinceSeconds: 60 },
  '2': { label: 'last 5m', sinceSeconds: 300 },
  '3': { label: 'last 15m', sinceSeconds: 900 },
  '4': { label: 'last 1h', sinceSeconds: 3600 },
  '5': { label: 'everything' },
};

export function logCommands(c: Host) {
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
        doc = new LogDoc(
          session.transport,
          { kind: 'pod', namespace: ns, pod: sel.row.name },
          settings,
          c.config.active.settings.logBuffer,
        );
      } else {
        const selector = selectorString(obj.spec?.selector);
        const pods = session.registry.get('pods');
        if (!selector || !pods) return c.toast(`${sel.row.name} has no pod selector`, 'error');
        const acquired = session.pool.acquire({ resource: pods, namespace: ns, labelSelector: selector });
        release = acquired.release;
        doc = new LogDoc(
          session.transport,
          { kind: 'pods', namespace: ns, pods: acquired.cache },
          settings,
          c.config.active.settings.logBuffer,
        );
      }
      const close = doc.close.bind(doc);
      doc.close = () => {
        close();
        release();
      };
      const kind = sel.info.singular || sel.info.plural;
      c.pushText(
        { mode: 'logs', title: `${kind}/${sel.row.name}`, resource: sel.view.resource, follow: true, wrap: false },
        doc,
      );
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
        const all = allContainers(obj);
        if (all.length < 2) return c.toast(`Only one container: ${all[0]?.name ?? 'none'}`);
        const index = Math.max(
          0,
          all.findIndex((x) => x.name === cur.doc.settings.container),
        );
        c.ask({ kind: 'pick', title: 'Container', options: all.map(containerLabel), index }, (a) => {
          const picked = a.ok && a.index !== undefined ? all[a.index] : undefined;
          if (picked) cur.doc.restart({ container: picked.name });
        });
      });
    },
    'logs.save': () => {
      const cur = current();
      if (!cur) return;
      const dir = join(tmpdir(), 'skiff-logs');
      mkdirSync(dir, { recursive: true });
      const file = join(
        dir,
        `${cur.view.title.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`,
      );
      const lines = cur.doc.getSnapshot().lines;
      writeFileSync(file, lines.slice(0, lines.length).join('\n') + '\n');
      c.toast(`Saved ${lines.length} lines to ${file}`, 'success');
    },
  } satisfies CommandHandlers;
}
