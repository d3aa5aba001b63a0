/** `omni deploy resume`: wait for a running deploy to finish and show its results. */
import { deployStatusCommand } from '../deploy/status-command.ts';

export default deployStatusCommand('resume', 'Wait for a running deploy to finish and show its results (default: the last deploy from this project).', '33');
