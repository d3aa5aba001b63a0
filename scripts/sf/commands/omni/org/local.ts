/** `sf omni org local`: the `omni org local` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/org-local.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
