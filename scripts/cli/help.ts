/**
 * The `omni` bin's help: oclif's, plus the sections sf's help shows for an SfCommand — ENVIRONMENT
 * VARIABLES and ERROR CODES (the command's `errorCodes`: exit code → meaning, from its bundle) — after the
 * flag descriptions, so `omni deploy --help` reads as `sf omni deploy --help`; and it leaves the config's
 * commands as it found them.
 * https://oclif.io/docs/help_classes
 */
import { CommandHelp, Help } from '@oclif/core';

type Section = ReturnType<CommandHelp['sections']>[number];

class OmniCommandHelp extends CommandHelp {
  protected sections(): Section[] {
    const sections = super.sections();
    const extra: Section[] = [
      { header: 'ENVIRONMENT VARIABLES', generate: ({ cmd }) => (cmd as { envVariablesSection?: ReturnType<Section['generate']> }).envVariablesSection },
      { header: 'ERROR CODES', generate: ({ cmd }) => (cmd as { errorCodes?: ReturnType<Section['generate']> }).errorCodes },
    ];
    const after = sections.findIndex((s) => s.header === 'FLAG DESCRIPTIONS');
    sections.splice(after === -1 ? sections.length : after + 1, 0, ...extra);
    return sections;
  }
}

export default class OmniHelp extends Help {
  protected CommandHelpClass = OmniCommandHelp;

  // oclif's help rewrites each shown command's id in place (`deploy:report` → `deploy report`), which a
  // one-shot CLI never notices but an in-process caller running commands after help would (the config's
  // commands are shared): format copies instead.
  formatCommand(command: Parameters<Help['formatCommand']>[0]): string {
    return super.formatCommand({ ...command });
  }

  protected formatCommands(commands: Parameters<Help['formatCommands']>[0]): string {
    return super.formatCommands(commands.map((c) => ({ ...c })));
  }
}
