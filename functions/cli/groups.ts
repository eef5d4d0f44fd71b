import { aeGroup } from './ae.ts';
import type { CommandGroup } from './command.ts';
import { enrollmentGroup } from './enrollment.ts';
import { operatorGroup } from './operator.ts';
import { registrationGroup } from './registration.ts';
import { serveGroup } from './serve.ts';

/**
 * Every command group of `m2m-registrar`, in the order the help lists
 * them. A new group is one file exporting a {@link CommandGroup} and one
 * line here.
 */
export const commandGroups: readonly CommandGroup[] = [
  serveGroup,
  registrationGroup,
  enrollmentGroup,
  operatorGroup,
  aeGroup,
];
