/** The org flags every org-facing command accepts, and the typed connect options they stand for. */
import type { FlagDefinition, FlagValues } from '../../cli/command.ts';
import type { ConnectOptions } from '../../org/connection.ts';

/** The flags every org-facing command accepts. */
/**
 * For a command that checks its local input (the project's files, the spec, an assignment file) before it connects:
 * an -o/--target-org whose org is down is not refused while the flags are parsed but where `run` connects
 * (connectOrg meets the same fast check: OrgUnreachable, exit 1), so a broken project fails with its own findings
 * first, whichever way the org is named (--instance-url, -o, the sf config's target-org), as
 * `sf project deploy validate` reports the source's errors before the org's. Spread into the command's definition.
 */
export const LOCAL_INPUT_FIRST = { reportsUnreachableOrg: true } as const;

/**
 * --no-prompt: skip the production confirmation (scripts and CI), one flag on every command that asks,
 * named as sf's (`sf project delete source --no-prompt`); `-y`/`--yes` are accepted as its aliases.
 */
export const NO_PROMPT_FLAG: Record<string, FlagDefinition> = {
  'no-prompt': { type: 'boolean', short: 'y', aliases: ['yes'], default: false },
};

export const ORG_FLAGS: Record<string, FlagDefinition> = {
  'target-org': {
    type: 'string',
    short: 'o',
    valueName: 'ALIAS|USERNAME',
  },
  'instance-url': {
    type: 'string',
    valueName: 'URL',
  },
  'api-version': {
    type: 'string',
    valueName: 'NN.0',
  },
};

/** --target-org, --instance-url and --api-version as connectOrg's options (SF_ACCESS_TOKEN read from `env`). */
export function connectOptionsFromFlags(flags: FlagValues, env: NodeJS.ProcessEnv): ConnectOptions {
  return {
    targetOrg: flags['target-org'] as string | undefined,
    instanceUrl: flags['instance-url'] as string | undefined,
    apiVersion: flags['api-version'] as string | undefined,
    env,
  };
}

