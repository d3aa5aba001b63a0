/** `sf omni retrieve`: the `omni retrieve` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/retrieve.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
