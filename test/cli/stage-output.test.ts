/**
 * The stage output over sf's multi-stage output (scripts/cli/stage-output.ts), against a recording stand-in of
 * @oclif/multi-stage-output's class: which blocks it draws (stages, title, detail lines), how a pause and the
 * next stage split them, how the end is marked, and that output written meanwhile is held until the block stops.
 * The real module's drawing is in test/deploy/terminal.test.ts (a pseudo-terminal).
 */
import { describe, expect, test } from 'vitest';
import { LiveOutput, multiStageOutput } from '../../scripts/cli/stage-output.ts';
import { createUi } from '../../scripts/cli/ui.ts';

type Call = [string, ...unknown[]];

function recorder() {
  const blocks: Array<{ options: { title?: string; stages: string[]; stageSpecificBlock?: Array<{ stage: string }> }; calls: Call[] }> = [];
  class MultiStageOutput {
    calls: Call[] = [];
    constructor(options: (typeof blocks)[number]['options']) {
      blocks.push({ options, calls: this.calls });
    }
    goto(stage: string, data?: Record<string, string>) {
      this.calls.push(['goto', stage, { ...data }]);
    }
    skipTo(stage: string) {
      this.calls.push(['skipTo', stage]);
    }
    updateData(data: Record<string, string>) {
      this.calls.push(['updateData', { ...data }]);
    }
    stop(status: string) {
      this.calls.push(['stop', status]);
    }
  }
  return { blocks, mso: { MultiStageOutput } as never };
}

const LABELS = ['Validating', 'Connecting', 'Deploying', 'Records'];

describe('multi-stage output', () => {
  test('one block over the stages; the detailed ones get a detail line; completed at the last stage', () => {
    const { blocks, mso } = recorder();
    const out = multiStageOutput(mso, 'Deploying metadata', LABELS, ['Deploying'], new LiveOutput());
    out.goto('Validating');
    out.goto('Connecting');
    out.goto('Deploying', 'Components: 0/22');
    out.detail('Components: 22/22');
    out.goto('Records');
    out.stop('completed');
    expect(blocks).toHaveLength(1);
    expect(blocks[0].options.title).toBe('Deploying metadata');
    expect(blocks[0].options.stages).toEqual(LABELS);
    expect(blocks[0].options.stageSpecificBlock?.map((b) => b.stage)).toEqual(['Deploying']);
    expect(blocks[0].calls.at(-2)).toEqual(['goto', 'Records', { Deploying: 'Components: 22/22' }]);
    expect(blocks[0].calls.at(-1)).toEqual(['stop', 'completed']);
  });

  test('a stage it did not reach is shown skipped; a failure marks the current stage failed', () => {
    const a = recorder();
    const done = multiStageOutput(a.mso, 't', LABELS, [], new LiveOutput());
    done.goto('Validating');
    done.goto('Deploying');
    done.stop('completed');
    expect(a.blocks[0].calls.slice(-2)).toEqual([['skipTo', 'Records'], ['stop', 'skipped']]);
    const b = recorder();
    const failed = multiStageOutput(b.mso, 't', LABELS, [], new LiveOutput());
    failed.goto('Validating');
    failed.stop('failed');
    failed.stop('completed'); // the first end counts
    expect(b.blocks[0].calls.slice(-1)).toEqual([['stop', 'failed']]);
    expect(b.blocks[0].calls.filter((c) => c[0] === 'stop')).toHaveLength(1);
  });

  test('a pause ends the block; the next stage opens one from the paused stage on, which is shown finishing', () => {
    const { blocks, mso } = recorder();
    const out = multiStageOutput(mso, 't', LABELS, [], new LiveOutput());
    out.goto('Validating');
    out.goto('Connecting');
    out.pause();
    out.goto('Deploying');
    out.stop('completed');
    expect(blocks).toHaveLength(2);
    expect(blocks[0].calls.at(-1)).toEqual(['stop', 'paused']);
    expect(blocks[1].options.stages).toEqual(['Connecting', 'Deploying', 'Records']);
    expect(blocks[1].calls.slice(0, 2).map((c) => c.slice(0, 2))).toEqual([
      ['goto', 'Connecting'],
      ['goto', 'Deploying'],
    ]);
  });

  test('what is written while a block is drawn waits for it to stop or pause, then comes out in order', () => {
    const { mso } = recorder();
    const live = new LiveOutput();
    const written: string[] = [];
    const out = multiStageOutput(mso, 't', LABELS, [], live);
    live.write(() => written.push('before'));
    out.goto('Validating');
    live.write(() => written.push('warning 1'));
    live.write(() => written.push('warning 2'));
    expect(written).toEqual(['before']);
    out.pause();
    expect(written).toEqual(['before', 'warning 1', 'warning 2']);
    out.goto('Connecting');
    live.write(() => written.push('warning 3'));
    expect(written).toHaveLength(3);
    out.stop('failed');
    expect(written.at(-1)).toBe('warning 3');
    live.write(() => written.push('after'));
    expect(written.at(-1)).toBe('after');
  });

  test("through the Ui: notes wait for the stages, an error does not (the stages pause, the notes come out, then it)", () => {
    const { blocks, mso } = recorder();
    const live = new LiveOutput();
    const err: string[] = [];
    const stream = (sink: string[]) => ({ isTTY: true, write: (s: string) => (sink.push(s), true) }) as unknown as NodeJS.WritableStream;
    const ui = createUi({ json: false, env: {}, stdout: stream([]), stderr: stream(err), live, multiStage: (title, labels, detailed) => multiStageOutput(mso, title, labels, detailed, live) });
    const stages = ui.stages!('t', LABELS);
    stages.goto('Validating');
    ui.info('a note');
    expect(err).toEqual([]);
    ui.error('Stopped at once (second SIGINT); journal written.');
    expect(err).toEqual(['a note\n', 'Stopped at once (second SIGINT); journal written.\n']);
    expect(blocks[0].calls.at(-1)).toEqual(['stop', 'paused']);
    // under --json or CI=true nothing is drawn
    for (const options of [{ json: true, env: {} }, { json: false, env: { CI: 'true' } }]) {
      const quiet = createUi({ ...options, stdout: stream([]), stderr: stream([]), multiStage: () => { throw new Error('drawn'); } });
      expect(() => quiet.stages!('t', LABELS).goto('Validating')).not.toThrow();
    }
  });

  test('a count on a terminal is a one-stage block with the count under it; without multi-stage output, the bar', () => {
    const { blocks, mso } = recorder();
    const live = new LiveOutput();
    const stream = (sink: string[]) => ({ isTTY: true, write: (s: string) => (sink.push(s), true) }) as unknown as NodeJS.WritableStream;
    const ui = createUi({ json: false, env: {}, stdout: stream([]), stderr: stream([]), live, multiStage: (title, labels, detailed) => multiStageOutput(mso, title, labels, detailed, live) });
    const bar = ui.progress('Assigning', 700);
    bar.update(200);
    bar.done();
    expect(blocks[0].options).toMatchObject({ title: 'Assigning', stages: ['Assigning'] });
    expect(blocks[0].calls).toEqual([
      ['goto', 'Assigning', { Assigning: '0/700' }],
      ['updateData', { Assigning: '200/700' }],
      ['updateData', { Assigning: '700/700' }],
      ['stop', 'completed'],
    ]);
    const err: string[] = [];
    const plain = createUi({ json: false, env: {}, stdout: stream([]), stderr: stream(err) });
    plain.progress('Assigning', 700).done();
    expect(err.join('')).toContain('Assigning done (700)');
  });
});
