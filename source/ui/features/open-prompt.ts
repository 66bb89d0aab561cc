import type { Controller } from '../controller.ts';
import type { PromptState } from '../state/types.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'store'>;

/** Opens the one-line prompt (its keys are handled in prompt.ts, which runs what it holds). */
export function openPrompt(c: Host, kind: PromptState['kind'], text: string): void {
  c.store.update((s) => ({ ...s, prompt: { kind, text } }));
}
