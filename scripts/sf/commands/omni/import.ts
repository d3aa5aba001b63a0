/** `sf omni import`: the `omni import` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/import.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
