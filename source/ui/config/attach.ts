import type { Controller } from '../controller.ts';
import { MOUSE_OFF, MOUSE_ON } from '../mouse/sgr.ts';
import type { ActiveConfig } from './load.ts';
import { formatIssue } from './yaml-file.ts';

/** The first few problems as a message, errors first; the rest counted. */
export function issuesMessage(active: ActiveConfig): { text: string; level: 'error' | 'info' } | undefined {
  const issues = [...active.issues].sort((a, b) => Number(!!a.warning) - Number(!!b.warning));
  if (!issues.length) return undefined;
  const shown = issues.slice(0, 4).map(formatIssue);
  if (issues.length > shown.length) shown.push(`… and ${issues.length - shown.length} more (:config lists them all)`);
  return { text: shown.join('\n'), level: issues[0].warning ? 'info' : 'error' };
}

/**
 * Keeps the UI in step with the configuration: readonly (the flag or config.yaml), mouse
 * reporting on the terminal, and a message after each reload saying what is wrong, if anything.
 */
export function attachConfig(c: Controller, flagReadonly: boolean): void {
  let mouse: boolean | undefined;
  const apply = () => {
    const { settings } = c.config.active;
    const readonly = flagReadonly || settings.readOnly;
    if (c.state.readonly !== readonly) c.store.update((s) => ({ ...s, readonly }));
    if (mouse !== settings.mouse && !c.state.suspended) {
      mouse = settings.mouse;
      c.writeTerminal(mouse ? MOUSE_ON : MOUSE_OFF);
    }
  };
  c.config.store.subscribe(apply);
  apply();
  c.config.onReload = (active) => {
    const msg = issuesMessage(active);
    if (!msg) c.toast('Configuration reloaded', 'success');
    else if (msg.level === 'info') c.toast(`Configuration reloaded\n${msg.text}`, 'info');
    else c.toast(msg.text, 'error');
  };
  c.config.watch();
}

/** Whether mouse reporting should be on now (for turning it back on after a terminal hand-over). */
export function mouseWanted(c: Controller): boolean {
  return c.config.active.settings.mouse;
}
