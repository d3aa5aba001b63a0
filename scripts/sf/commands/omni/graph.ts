/** `sf omni graph`: the `omni graph` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/graph.ts';
import { omniCommand } from '../../adapter.ts';

export default omniCommand(definition);
