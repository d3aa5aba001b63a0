/** `sf omni assign export`: the `omni assign export` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/assign-export.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
