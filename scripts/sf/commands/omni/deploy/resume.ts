/** `sf omni deploy resume`: the `omni deploy resume` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/deploy-resume.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
