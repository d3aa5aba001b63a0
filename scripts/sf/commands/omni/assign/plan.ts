/** `sf omni assign plan`: the `omni assign plan` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/assign-plan.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
