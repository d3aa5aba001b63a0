/** `sf omni assign undo`: the `omni assign undo` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/assign-undo.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
