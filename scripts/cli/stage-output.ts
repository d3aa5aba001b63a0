/**
 * Named stages drawn as sf draws them: @oclif/multi-stage-output (ink), as plugin-deploy-retrieve's
 * `sf project deploy start` shows "Preparing → Deploying Metadata → Done" with a timer per stage and a detail
 * line under the current one. Only ever made on a TTY (createUi decides; never under --json or CI=true), and
 * the module is loaded only by the commands that draw stages (scripts/sf/adapter.ts).
 *
 * While the stages are drawn, ink owns the bottom of the terminal: anything else written to it (warnings,
 * notes) would be drawn over. So what the command prints meanwhile is held by {@link LiveOutput} and written
 * when the stages stop or pause; a question to the user pauses them first (the next stage draws a fresh block
 * with the stages that remain).
 * https://github.com/oclif/multi-stage-output
 */
import type { MultiStageOutput } from '@oclif/multi-stage-output';
import type { StageOutput } from '../lib/io.ts';

type MultiStageModule = typeof import('@oclif/multi-stage-output');

/** Output held while stages are drawn; `live` tells the writers whether to hold. */
export class LiveOutput {
  live = false;
  private readonly held: Array<() => void> = [];

  /** Runs `write` now, or when the stages stop or pause if they are being drawn. */
  write(write: () => void): void {
    if (this.live) this.held.push(write);
    else write();
  }

  /** The stages stopped drawing: what was held is written, in order. */
  release(): void {
    this.live = false;
    for (const write of this.held.splice(0)) write();
  }
}

type Data = Record<string, string>;

/**
 * A {@link StageOutput} over sf's multi-stage output: `title` above, `labels` in order, the detail of each
 * `detailed` stage under it while it runs (and once done). `output` is held while it draws.
 */
export function multiStageOutput(mso: MultiStageModule, title: string, labels: string[], detailed: string[], output: LiveOutput): StageOutput {
  let block: MultiStageOutput<Data> | undefined;
  let stages: string[] = labels;
  let current: string | undefined;
  let data: Data = {};
  let ended = false;

  const open = (): MultiStageOutput<Data> => {
    // The detail of a stage is the data under its own label, shown under it ("▸ Components: 5/22").
    block = new mso.MultiStageOutput<Data>({
      jsonEnabled: false,
      title,
      stages,
      timerUnit: 'ms',
      stageSpecificBlock: stages.filter((stage) => detailed.includes(stage)).map((stage) => ({ stage, type: 'message' as const, get: (d?: Data) => d?.[stage] })),
      data,
    });
    output.live = true;
    return block;
  };
  const close = (finalStatus: 'completed' | 'failed' | 'paused' | 'skipped') => {
    block?.stop(finalStatus);
    block = undefined;
    output.release();
  };

  return {
    goto(label, detail) {
      if (ended || !labels.includes(label)) return;
      if (detail !== undefined) data = { ...data, [label]: detail };
      if (!block) {
        // first stage, or after a pause: a block of the stages from the paused one on (it is shown finishing)
        const from = current && labels.indexOf(current) < labels.indexOf(label) ? current : label;
        stages = labels.slice(labels.indexOf(from));
        if (from !== label) open().goto(from, data);
        else open();
      }
      current = label;
      block?.goto(label, data);
    },
    detail(text) {
      if (ended || !current) return;
      data = { ...data, [current]: text };
      block?.updateData(data);
    },
    pause() {
      if (block) close('paused');
    },
    stop(outcome) {
      if (ended) return;
      ended = true;
      if (!block) return;
      if (outcome === 'failed') return close('failed');
      const last = stages.at(-1)!;
      if (current !== last) {
        // stages it did not need (no record settings to set): shown skipped, not pending
        block.skipTo(last, data);
        return close('skipped');
      }
      close('completed');
    },
  };
}
