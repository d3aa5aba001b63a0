/**
 * The stages of deploy, plan and retrieve, as sf shows a deploy's: on a TTY sf's multi-stage output
 * (`ui.stages`, scripts/cli/stage-output.ts: each stage with its time, a detail line under the current one),
 * nothing under --json, CI=true or without a terminal, nor for an engine run by another (omni setup's stages).
 * A stage that throws is shown failed, and the error is printed below the stages.
 */
import { type EngineIo, type StageOutput, startStageOutput } from '../lib/io.ts';

/** Stage output titled `title` over `labels` (`detailed`: those with a detail line), at its first stage. */
export function startStages(ctx: Pick<EngineIo, 'ui'>, title: string, labels: string[], detailed: string[] = []): StageOutput {
  const stages = startStageOutput(ctx.ui, title, labels, detailed);
  stages.goto(labels[0]);
  return stages;
}

/** Runs `body` with stages: completed when it returns, the current stage failed when it throws. */
export async function withStages<T>(ctx: Pick<EngineIo, 'ui'>, title: string, labels: string[], body: (stages: StageOutput) => Promise<T>): Promise<T> {
  const stages = startStages(ctx, title, labels);
  try {
    const result = await body(stages);
    stages.stop('completed');
    return result;
  } catch (error) {
    stages.stop('failed');
    throw error;
  }
}
