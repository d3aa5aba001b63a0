/** `sf omni assign apply`: the `omni assign apply` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/assign-apply.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
