/** `sf omni deploy`: the `omni deploy` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/deploy.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
