import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

const subjects = (o: KObject, kind: string) =>
  (o.subjects ?? [])
    .filter((s: { kind?: string }) => s?.kind === kind)
    .map((s: { name?: string; namespace?: string }) =>
      kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name,
    )
    .join(', ');

/** RoleBindings and ClusterRoleBindings: NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS. */
export const bindingTable: TablePrinter = {
  columns: [
    nameColumn,
    column('Role', 'string', 'Role referenced by this binding.'),
    ageColumn,
    column('Users', 'string', 'Users in this binding.', 1),
    column('Groups', 'string', 'Groups in this binding.', 1),
    column('ServiceAccounts', 'string', 'ServiceAccounts in this binding.', 1),
  ],
  row(o: KObject, now: number) {
    return [
      o.metadata.name,
      `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
      translateTimestampSince(o.metadata.creationTimestamp, now),
      subjects(o, 'User'),
      subjects(o, 'Group'),
      subjects(o, 'ServiceAccount'),
    ];
  },
};
