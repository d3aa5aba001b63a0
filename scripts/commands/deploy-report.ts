/** `omni deploy report`: show the status and results of a deploy (the last one by default). */
import { deployStatusCommand } from '../deploy/status-command.ts';

export default deployStatusCommand('report', '0');
