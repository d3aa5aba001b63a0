/** `omni deploy resume`: wait for a running deploy to finish and show its results. */
import { deployStatusCommand } from './shared/deploy-status.ts';

export default deployStatusCommand('resume', '33');
