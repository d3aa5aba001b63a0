/** `omni deploy report`: show the status and results of a deploy (the last one by default). */
import { deployStatusCommand } from './shared/deploy-status.ts';

export default deployStatusCommand('report', '0');
