/** `sf omni deploy report`: the `omni deploy report` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../../commands/deploy-report.ts';
import { omniCommand } from '../../../adapter.ts';

export default omniCommand(definition);
