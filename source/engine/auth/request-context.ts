import { AsyncLocalStorage } from 'node:async_hooks';
import type { UserInfo } from './user.ts';

/**
 * The user of the API request being served, for admission hooks that run inside store writes
 * (escalation checks, service-account admission). Writes by the engine's own controllers run
 * outside any request and see no user.
 */
const current = new AsyncLocalStorage<UserInfo>();

export function runAsUser<T>(user: UserInfo, fn: () => T): T {
  return current.run(user, fn);
}

export function requestUser(): UserInfo | undefined {
  return current.getStore();
}

/** Run `fn` outside any request: what it schedules (timers, promises) does not carry the user. */
export function outsideRequest(fn: () => void): void {
  // Already outside (a controller's write): exit() would switch the async hooks off and on again.
  if (current.getStore() === undefined) fn();
  else current.exit(fn);
}
