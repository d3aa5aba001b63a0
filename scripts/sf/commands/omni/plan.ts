/** `sf omni plan`: the `omni plan` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/plan.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
