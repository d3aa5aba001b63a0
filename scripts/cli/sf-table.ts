/**
 * Tables as sf prints them: sf-plugins-core's `Ux.table` is @oclif/table with sf's defaults — borders from
 * SF_TABLE_BORDER_STYLE (`vertical-with-outline` unless it names another of @oclif/table's styles), no colours
 * with SF_NO_TABLE_STYLE=true, long cells as SF_TABLE_OVERFLOW says, headers capitalised — and so is this.
 * @oclif/table (ink, React, yoga) is loaded here, by the commands that print a table (`tables: true` in their
 * definition, scripts/sf/adapter.ts), and not through sf-plugins-core: the omni bin serves sf-plugins-core a
 * stand-in for it (scripts/cli/oclif-table-absent.ts), so that the other commands never load it.
 * https://github.com/salesforcecli/sf-plugins-core (src/ux/table.ts)
 */
type TableOptions = Parameters<typeof import('@oclif/table').makeTable>[0];

const BORDER_STYLES = [
  'all',
  'headers-only-with-outline',
  'headers-only-with-underline',
  'headers-only',
  'horizontal-with-outline',
  'horizontal',
  'none',
  'outline',
  'vertical-with-outline',
  'vertical',
] as const;
const OVERFLOWS = ['wrap', 'truncate', 'truncate-middle', 'truncate-start', 'truncate-end'] as const;

/** sf's table options from the environment (the variables sf-plugins-core reads). */
export function sfTableOptions(env: NodeJS.ProcessEnv): Pick<TableOptions, 'borderStyle' | 'noStyle' | 'headerOptions' | 'overflow'> {
  const border = env.SF_TABLE_BORDER_STYLE as (typeof BORDER_STYLES)[number] | undefined;
  const overflow = env.SF_TABLE_OVERFLOW as (typeof OVERFLOWS)[number] | undefined;
  return {
    borderStyle: border && BORDER_STYLES.includes(border) ? border : 'vertical-with-outline',
    noStyle: /^(true|1)$/i.test(env.SF_NO_TABLE_STYLE ?? ''),
    headerOptions: { formatter: 'capitalCase' },
    ...(overflow && OVERFLOWS.includes(overflow) ? { overflow } : {}),
  };
}

/**
 * Loads @oclif/table and returns a renderer of rows (by column keys) as sf's table text.
 *
 * React and react-reconciler (under ink) pick their build from `process.env.NODE_ENV` when first loaded; sf
 * runs with it unset, so the development build, whose checks and debug fields cost ~0.4 s of CPU and ~10 MiB
 * for the 200 rows `omni assign plan` prints (bench/RESULTS.md "Assign plan memory"). Where NODE_ENV is unset
 * and React not loaded yet, it is `production` while the table loads (only then), so the production build
 * renders: the same text (test/cli/sf-table-build.test.ts, against the development build as sf loads it).
 * A set NODE_ENV is left alone, and a React already loaded (sf's own, ink's for stages) is the one used.
 */
export async function loadSfTable(env: NodeJS.ProcessEnv): Promise<(rows: Array<Record<string, unknown>>, columns: string[]) => string> {
  const production = process.env.NODE_ENV === undefined;
  if (production) process.env.NODE_ENV = 'production';
  try {
    const { makeTable } = await import('@oclif/table');
    return (rows, columns) => makeTable({ data: rows, columns: columns as never, ...sfTableOptions(env) });
  } finally {
    if (production) delete process.env.NODE_ENV;
  }
}
