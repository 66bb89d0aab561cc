import { runAsUser } from '../auth/request-context.ts';
import type { UserInfo } from '../auth/user.ts';
import type { Store } from '../store/store.ts';

const WRITES = new Set<PropertyKey>(['create', 'update', 'mutate', 'delete', 'forceRemove']);

/**
 * The store as one API request sees it: each write runs as the request's user (admission reads
 * it with requestUser(), and the write commits before it returns). Everything the request's
 * handlers write goes through this view, including what they hand the store to.
 */
export function userStore(store: Store, user: UserInfo): Store {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let fn = bound.get(prop);
      if (!fn) {
        const method = value as (...args: unknown[]) => unknown;
        fn = WRITES.has(prop)
          ? (...args: unknown[]) => runAsUser(user, () => method.apply(target, args))
          : method.bind(target);
        bound.set(prop, fn);
      }
      return fn;
    },
  });
}
