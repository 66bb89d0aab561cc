import type { Controller } from '../controller.ts';
import type { PromptState } from '../state/types.ts';

/** Opens the one-line prompt (its keys are handled in prompt.ts, which runs what it holds). */
export function openPrompt(c: Controller, kind: PromptState['kind'], text: string): void {
  c.store.update((s) => ({ ...s, prompt: { kind, text } }));
}
