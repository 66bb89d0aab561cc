import type { AccessReviews } from '../../client/access.ts';
import type { ResourceInfo } from '../../client/resource.ts';
import { bindingApplies, KEYMAP } from '../keys/keymap.ts';

/** `deployments.apps` → ['apps', 'deployments']; `pods` → ['', 'pods']. */
function split(id: string): [string, string] {
  const i = id.indexOf('.');
  return i < 0 ? ['', id] : [id.slice(i + 1), id.slice(0, i)];
}

/** The commands of a table view's keymap (and its rollout view's) the user may not run there, sorted. */
export async function deniedCommands(
  access: AccessReviews,
  resource: string,
  info: ResourceInfo,
  namespace: string,
): Promise<string[]> {
  // The table's own keys and those of the views opened from it (the rollout view's).
  const checks = KEYMAP.filter((b) => b.access && b.views.some((v) => bindingApplies(b, v, resource, false))).map(
    async (b) => {
      const [group, plural] = b.access!.resource ? split(b.access!.resource) : [info.group, info.plural];
      const allowed = await access.check({
        verb: b.access!.verb,
        group,
        resource: plural,
        subresource: b.access!.subresource,
        namespace,
      });
      return allowed ? undefined : b.command;
    },
  );
  return (await Promise.all(checks)).filter((c): c is NonNullable<typeof c> => !!c).sort();
}
