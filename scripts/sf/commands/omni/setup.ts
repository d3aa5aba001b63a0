/** `sf omni setup`: the `omni setup` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/setup.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
