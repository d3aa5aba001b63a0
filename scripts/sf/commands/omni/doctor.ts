/** `sf omni doctor`: the `omni doctor` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/doctor.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
