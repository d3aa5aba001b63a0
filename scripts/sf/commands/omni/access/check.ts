/** `sf omni access check`: the `omni access check` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/access-check.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
