/**
 * CSV as Bulk API 2.0 reads and writes it (RFC 4180; uploads may be LF or CRLF, fields quoted or not;
 * result files quote every field). csv-parse / csv-stringify do the work.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_csv_preparing.htm
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Records of `text` (BOM stripped, blank lines skipped). Throws Error with the line for malformed CSV. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
}

/** Header and rows with every field quoted, as Bulk API 2.0 writes its result files. */
export function formatCsv(header: string[], rows: unknown[][], lineEnding: '\n' | '\r\n' = '\n'): string {
  const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  return stringify([header, ...rows.map((r) => r.map(cell))], { quoted: true, quoted_empty: true, record_delimiter: lineEnding === '\r\n' ? 'windows' : 'unix' });
}
