/** `sf omni deploy`: the `omni deploy` command as an sf plugin command (see scripts/sf/adapter.ts). */
import definition from '../../../commands/deploy.ts';
import { omniCommand } from '../../adapter.ts';

// What to deploy: one of the package directories' subset by path, by metadata name or by manifest (as sf).
export default omniCommand(definition, {
  'source-dir': { exclusive: ['metadata', 'manifest'] },
  metadata: { exclusive: ['source-dir', 'manifest'] },
  manifest: { exclusive: ['source-dir', 'metadata'] },
});
