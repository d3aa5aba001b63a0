/**
 * Human output: plain text on stdout, warnings and progress on stderr.
 * Quiet under `--json` or `CI=true` except for the final JSON envelope; progress only on a TTY.
 */
import { isCi, type Progress, type Ui } from '../lib/io.ts';
import { redact } from '../lib/redact.ts';

export interface UiOptions {
  json: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
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
    stream.write(redact(text) + '\n');
  };

  return {
    quiet,
    interactive,
    log(message = '') {
      if (!quiet) write(stdout, message);
    },
    info(message) {
      if (!quiet) write(stderr, message);
    },
    error(message) {
      write(stderr, message);
    },
    table(rows, columns) {
      if (quiet || rows.length === 0) return;
      write(stdout, formatTable(rows, columns));
    },
    progress(label, total) {
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
    async confirm(question) {
      if (!interactive) return false;
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
