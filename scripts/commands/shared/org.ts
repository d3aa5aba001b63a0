/** The org flags every org-facing command accepts, and the typed connect options they stand for. */
import type { FlagDefinition, FlagValues } from '../../cli/command.ts';
import type { ConnectOptions } from '../../org/connection.ts';

/** The flags every org-facing command accepts. */
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

