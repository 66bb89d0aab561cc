import type { RoleBinding } from 'kubernetes-types/rbac/v1.d.ts';
import type { Kind, KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

const subjects = (o: Kind<RoleBinding>, kind: string) =>
  (o.subjects ?? [])
    .filter((s) => s?.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
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
  row(o: Kind<RoleBinding>, now: number) {
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
