/** `sf omni validate`: the `omni validate` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/validate.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
