/** Setup/doctor test helpers: the CLI run in-process against a local org (projects: test/helpers/project.ts). */
import { omniInProcess, type CliResult } from '../helpers/omni.ts';

export type { CliResult };

/** `omni …` in-process with --instance-url and the token in SF_ACCESS_TOKEN (the CI way). */
export const omni = omniInProcess;

export const check = (r: CliResult, id: string) => r.json.result.checks.find((c: any) => c.id === id);
export const stage = (r: CliResult, name: string) => r.json.result.stages.find((s: any) => s.stage === name);
