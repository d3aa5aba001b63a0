/**
 * What the `omni` bin (scripts/omni.mjs) serves for sf-plugins-core's `import { makeTable, printTable } from
 * '@oclif/table'` (its Ux.table behind SfCommand.table): @oclif/table renders through ink, react and yoga's
 * WebAssembly, ~0.1 s of CPU and ~10 MiB at every start (bench/RESULTS.md, "CLI start-up"), and cannot be
 * loaded on first use instead, because a table is printed synchronously and yoga's module awaits at its top
 * level. omni does not print through it: a command's `render` gets omni's Ui (scripts/cli/ui.ts), never the
 * SfCommand. Calling either function in the bin is a programming error that says so.
 * `sf omni …` (the plugin under the sf CLI) keeps the real @oclif/table.
 */
function absent(name: string): never {
  throw new Error(`@oclif/table's ${name} is not loaded by the omni bin (scripts/omni.mjs): print tables through the command's Ui (scripts/cli/ui.ts)`);
}

export function makeTable(_options: unknown): string {
  return absent('makeTable');
}

export function printTable(_options: unknown): void {
  absent('printTable');
}
