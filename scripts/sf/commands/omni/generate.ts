/** `sf omni generate`: the `omni generate` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/generate.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
