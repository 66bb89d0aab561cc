import type { ViewKind } from '../keys/keymap.ts';
import type { ViewState } from './types.ts';

/** The client-side table of kubeconfig contexts. */
export const CONTEXTS = 'contexts';

/** Which key bindings a view takes. */
export function viewKind(view: ViewState): ViewKind {
  if (view.kind === 'table') return 'table';
  if (view.kind === 'text' && view.mode === 'logs') return 'logs';
  if (view.kind === 'text' && view.mode === 'rollout') return 'rollout';
  return 'text';
}

/** The resource a view shows (help shows the keys of the view it was opened from). */
export function viewResource(view: ViewState): string | undefined {
  if (view.kind === 'table') return view.resource;
  return view.kind === 'help' ? view.about.resource : view.resource;
}
