/** `sf omni assign resume`: the `omni assign resume` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/assign-resume.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
