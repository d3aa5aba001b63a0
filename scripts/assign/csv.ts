/**
 * Assignment CSV files (`username,presenceConfig`) as spreadsheets and HR exports produce them:
 * RFC 4180 quoting, CRLF or LF, a BOM, blank lines. Every bad row is reported as file:line.
 */
import { forEachCsvRecord, parseCsvRecords } from '../lib/csv.ts';
import { countText, messageText } from '../lib/messages.ts';
import { inFileOrder, type ConfigProblem, type Origin } from './origin.ts';

export { parseCsvRecords };

export interface CsvRow {
  username: string;
  presenceConfig: string;
  origin: Origin;
}

export function parseAssignmentCsv(text: string, file: string): { rows: CsvRow[]; problems: ConfigProblem[] } {
  const rows: CsvRow[] = [];
  const problems = readAssignmentCsv(text, file, (username, presenceConfig, line) => rows.push({ username, presenceConfig, origin: { file, line, column: 1 } }));
  return { rows, problems };
}

/**
 * `parseAssignmentCsv` row by row: each good row (a username once, with its configuration and line) goes to
 * `onRow` as it is parsed, so a 100,000-row file becomes the caller's own compact records without an array
 * of raw records or row objects in between. Returns the file's problems (file:line), in file order.
 */
export function readAssignmentCsv(text: string, file: string, onRow: (username: string, presenceConfig: string, line: number) => void): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let header: string[] | undefined;
  let userCol = -1;
  let configCol = -1;
  // A username seen before (lower-cased) → its row's configuration and line, for "two configurations".
  const seen = new Map<string, number>();
  const seenConfig: string[] = [];
  const seenLine: number[] = [];
  const at = (line: number): Origin => ({ file, line, column: 1 });
  const error = forEachCsvRecord(text, (fields, line) => {
    if (!header) {
      header = fields.map((h) => h.trim().toLowerCase());
      userCol = header.indexOf('username');
      configCol = header.findIndex((h) => h === 'presenceconfig' || h === 'presence_config' || h === 'presenceconfiguration');
      if (userCol < 0 || configCol < 0) {
        // The header is not quoted back: the file may not be a CSV at all (a wrong path) and its first line may be a secret.
        problems.push({
          message: countText('assign-findings', 'CsvHeader.assignments', header.length, [header.length, missingColumns(header, ['username', 'presenceconfig'])]),
          hint: messageText('assign-findings', 'CsvHeader.assignments.hint'),
          origin: { file, line, column: 1 },
        });
      }
      return;
    }
    if (userCol < 0 || configCol < 0) return;

    if (fields.length !== header.length) {
      problems.push(fieldCountProblem(fields.length, header, at(line)));
      return;
    }
    const username = fields[userCol].trim();
    const presenceConfig = fields[configCol].trim();
    if (!username || !presenceConfig) {
      problems.push({ message: !username ? messageText('assign-findings', 'CsvMissingUsername') : messageText('assign-findings', 'CsvMissingConfig'), origin: at(line) });
      return;
    }
    if (/\s/.test(username)) {
      problems.push({ message: messageText('assign-findings', 'NotAUsername', [username]), origin: at(line) });
      return;
    }
    const key = username.toLowerCase();
    const previous = seen.get(key);
    if (previous !== undefined) {
      if (seenConfig[previous].toLowerCase() !== presenceConfig.toLowerCase()) {
        problems.push({
          message: messageText('assign-findings', 'CsvTwoConfigurations', [username, seenConfig[previous], seenLine[previous], presenceConfig]),
          hint: messageText('assign-findings', 'CsvTwoConfigurations.hint'),
          origin: at(line),
        });
      }
      return;
    }
    seen.set(key, seenConfig.length);
    seenConfig.push(presenceConfig);
    seenLine.push(line);
    onRow(username, presenceConfig, line);
  });
  if (error) problems.push({ message: messageText('assign-findings', 'CsvSyntax', [error.message]), hint: messageText('assign-findings', 'CsvSyntax.hint'), origin: { file, line: error.line, column: 1 } });
  else if (!header) problems.push({ message: messageText('assign-findings', 'CsvEmpty.assignments'), origin: { file, line: 1, column: 1 } });
  return inFileOrder(problems);
}

/**
 * A CSV of usernames (queue and skill members): a header naming a `username` column, one user a row; other
 * columns are ignored, so an HR export can be used as is. Duplicates are dropped; bad rows are file:line.
 */
export function parseUsernameCsv(text: string, file: string): { rows: Array<{ username: string; origin: Origin }>; problems: ConfigProblem[] } {
  const { records, error } = parseCsvRecords(text);
  const problems: ConfigProblem[] = [];
  const rows: Array<{ username: string; origin: Origin }> = [];
  if (error) problems.push({ message: messageText('assign-findings', 'CsvSyntax', [error.message]), hint: messageText('assign-findings', 'CsvSyntax.hint'), origin: { file, line: error.line, column: 1 } });
  if (records.length === 0) {
    if (!error) problems.push({ message: messageText('assign-findings', 'CsvEmpty.usernames'), origin: { file, line: 1, column: 1 } });
    return { rows, problems: inFileOrder(problems) };
  }
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const userCol = header.indexOf('username');
  if (userCol < 0) {
    const first = records[0].fields.map((h) => h.trim().toLowerCase());
    problems.push({
      message: countText('assign-findings', 'CsvHeader.usernames', first.length, [first.length, missingColumns(first, ['username'])]),
      hint: messageText('assign-findings', 'CsvHeader.usernames.hint'),
      origin: { file, line: records[0].line, column: 1 },
    });
    return { rows, problems: inFileOrder(problems) };
  }
  const seen = new Set<string>();
  for (const record of records.slice(1)) {
    const origin: Origin = { file, line: record.line, column: 1 };
    if (record.fields.length !== header.length) {
      problems.push(fieldCountProblem(record.fields.length, header, origin));
      continue;
    }
    const username = record.fields[userCol].trim();
    if (!username) {
      problems.push({ message: messageText('assign-findings', 'CsvMissingUsernameRow'), origin });
      continue;
    }
    if (/\s/.test(username)) {
      problems.push({ message: messageText('assign-findings', 'NotAUsername', [username]), origin });
      continue;
    }
    if (seen.has(username.toLowerCase())) continue;
    seen.add(username.toLowerCase());
    rows.push({ username, origin });
  }
  return { rows, problems: inFileOrder(problems) };
}

/** One CSV field, quoted when needed (RFC 4180). Also neutralises spreadsheet formulas. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The wanted columns the header lacks ("username or presenceconfig"), without quoting the header. */
function missingColumns(header: string[], wanted: string[]): string {
  const missing = wanted.filter((w) => !header.some((h) => h === w || (w === 'presenceconfig' && (h === 'presence_config' || h === 'presenceconfiguration'))));
  return missing.join(' or ');
}

/**
 * A row whose field count differs from the header's: one with more fields most often has an unquoted comma in
 * a value; one with fewer has a value left out — each gets the hint that fits it.
 */
function fieldCountProblem(fields: number, header: readonly string[], origin: Origin): ConfigProblem {
  const hint =
    fields > header.length
      ? messageText('assign-findings', 'CsvFieldCount.extra.hint', [header.length])
      : messageText('assign-findings', 'CsvFieldCount.missing.hint', [header.length]);
  return { message: countText('assign-findings', 'CsvFieldCount', fields, [fields, header.length]), hint, origin };
}
