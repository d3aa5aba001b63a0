/**
 * Human output: plain text on stdout, warnings and progress on stderr.
 * Quiet under `--json` or `CI=true` except for the final JSON envelope; progress only on a TTY.
 */
import { isCi, NO_STAGES, type Progress, type StageOutput, type Ui } from '../lib/io.ts';
import { redact } from '../lib/redact.ts';
import { writeJson } from './write-json.ts';
import type { LiveOutput } from './stage-output.ts';

export interface UiOptions {
  json: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * Renders a table as text (the SfCommand of a command that prints tables passes sf's, scripts/cli/sf-table.ts:
   * sf's borders, capitalised headers, SF_TABLE_BORDER_STYLE); without it, {@link formatTable}. The text is
   * redacted and written here.
   */
  renderTable?: (rows: Array<Record<string, unknown>>, columns: string[]) => string;
  /** Asks a yes/no question on the terminal (the SfCommand passes sf's `confirm`); without it, readline. */
  ask?: (question: string) => Promise<boolean>;
  /**
   * sf's multi-stage output for `ui.stages` (scripts/cli/stage-output.ts), when the command draws stages and
   * stdout is a terminal; without it, stages are one progress line on stderr (a terminal only).
   */
  multiStage?: (title: string, labels: string[], detailed: string[]) => StageOutput;
  /** Holds notes and errors while stages are drawn (ink owns the terminal's bottom lines then). */
  live?: LiveOutput;
}

const NOOP_PROGRESS: Progress = { tick() {}, update() {}, done() {} };


export function createUi(options: UiOptions): Ui {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const env = options.env ?? process.env;
  const quiet = options.json;
  const interactive = !quiet && !isCi(env) && Boolean(stderr.isTTY) && Boolean(stdin.isTTY);
  const showProgress = !quiet && !isCi(env) && Boolean(stderr.isTTY);

  const write = (stream: NodeJS.WritableStream, text: string) => {
    const line = redact(text) + '\n';
    if (options.live) options.live.write(() => stream.write(line));
    else stream.write(line);
  };
  let drawn: StageOutput | undefined;

  return {
    quiet,
    interactive,
    log(message = '') {
      if (!quiet) write(stdout, message);
    },
    logJson(value) {
      if (quiet) return;
      // Each piece whole JSON values: redacted as it is written, no secret split between two (write-json.ts).
      const put = (chunk: string) => (options.live ? options.live.write(() => stdout.write(redact(chunk))) : stdout.write(redact(chunk)));
      writeJson(value, put);
      put('\n');
    },
    info(message) {
      if (!quiet) write(stderr, message);
    },
    error(message) {
      // An error is never held behind drawn stages (the process may exit right after it: a second Ctrl-C
      // prints the resume hint, then exits): the stages pause, what they held comes out, then the error.
      drawn?.pause();
      write(stderr, message);
    },
    table(rows, columns) {
      if (quiet || rows.length === 0) return;
      const cols = columns ?? Object.keys(rows[0] ?? {});
      write(stdout, options.renderTable ? options.renderTable(rows, cols).replace(/\n+$/, '') : formatTable(rows, cols));
    },
    progress(label, total) {
      if (total > 0 && options.multiStage && !quiet && !isCi(env) && stdout.isTTY) {
        // A count on a terminal as sf shows one (sf data import bulk's processed records): a one-stage block,
        // the count under it.
        const block = (drawn = options.multiStage(label, [label], [label]));
        let done = 0;
        block.goto(label, `${done}/${total}`);
        return {
          tick(n = 1) {
            done += n;
            block.detail(`${done}/${total}`);
          },
          update(value) {
            done = value;
            block.detail(`${done}/${total}`);
          },
          done() {
            block.detail(`${total}/${total}`);
            block.stop('completed');
          },
        };
      }
      if (!showProgress || total <= 0) return NOOP_PROGRESS;
      let done = 0;
      let current = label;
      let last = 0;
      const draw = (force = false) => {
        const now = Date.now();
        if (!force && now - last < 100) return;
        last = now;
        const width = 24;
        const filled = Math.min(width, Math.round((done / total) * width));
        stderr.write(`\r${current} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}\x1b[K`);
      };
      draw(true);
      return {
        tick(n = 1) {
          done += n;
          draw();
        },
        update(value, newLabel) {
          done = value;
          if (newLabel) current = newLabel;
          draw();
        },
        done(finalLabel) {
          done = total;
          draw(true);
          stderr.write(`\r${finalLabel ?? current} done (${total})\x1b[K\n`);
        },
      };
    },
    stages(title, labels, detailed = []) {
      if (options.multiStage && !quiet && !isCi(env) && stdout.isTTY) return (drawn = options.multiStage(title, labels, detailed));
      // One line on stderr (a terminal only): "[2/4] Connecting to the org", its detail after it.
      const bar = this.progress(`[1/${labels.length}] ${labels[0]}`, labels.length);
      if (bar === NOOP_PROGRESS) return NO_STAGES;
      let at = 0;
      let open = true;
      const show = (detail?: string) => bar.update(at, `[${at + 1}/${labels.length}] ${labels[at]}${detail ? ` (${detail})` : ''}`);
      return {
        goto(label, detail) {
          if (!open || !labels.includes(label)) return;
          at = labels.indexOf(label);
          show(detail);
        },
        detail(text) {
          if (open) show(text);
        },
        pause() {
          if (open) stderr.write('\n');
        },
        stop(outcome) {
          if (!open) return;
          open = false;
          if (outcome === 'completed') bar.done(title);
          else stderr.write('\n');
        },
      };
    },
    async confirm(question) {
      if (!interactive) return false;
      // the question goes below the stages drawn so far, not into them
      drawn?.pause();
      if (options.ask) return options.ask(question);
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: stdin, output: stderr });
      try {
        const answer = await rl.question(`${question} (y/N) `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

export function formatTable(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [
    line(cols.map((c) => c.toUpperCase())),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
  ].join('\n');
}
