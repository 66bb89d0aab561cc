import type { Controller } from '../controller.ts';
import { PORT_FORWARDS } from './port-forward-list.ts';
import { openSelectorLogs } from './selector-logs.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'newTable' | 'pushText' | 'resetTo' | 'session' | 'state' | 'toast'>;

/** `:` commands that are not API resources: `:pf` (port-forwards), `:logs -l SELECTOR`. */
export function clientCommand(c: Host, name: string, text: string): boolean {
  if (name === 'pf' || name === 'portforward' || name === 'portforwards') {
    c.resetTo(c.newTable(PORT_FORWARDS, null));
    return true;
  }
  if (name === 'logs' || name === 'log') return openSelectorLogs(c, text);
  return false;
}
