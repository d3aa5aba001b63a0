/** `sf omni explain`: the `omni explain` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/explain.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
