/**
 * vitest replaces the global console with its own, which has no `Console` constructor; ink (sf's tables
 * through @oclif/table, @oclif/multi-stage-output) builds one from `console.Console` while it renders. Node's
 * own constructor is put back where it is missing, so the commands render under vitest as under Node.
 */
import { Console } from 'node:console';

const global = console as Console & { Console?: typeof Console };
global.Console ??= Console;
