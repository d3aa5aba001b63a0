/** `omni deploy resume`: wait for a running deploy to finish and show its results. */
import { deployStatusCommand } from '../deploy/status-command.ts';

export default deployStatusCommand('resume', '33');
