/**
 * Assignment CSV files (`username,presenceConfig`) as spreadsheets and HR exports produce them:
 * RFC 4180 quoting, CRLF or LF, a BOM, blank lines. Every bad row is reported as file:line.
 */
import { parseCsvRecords } from '../lib/csv.ts';
import type { ConfigProblem, Origin } from './origin.ts';

export { parseCsvRecords };

export interface CsvRow {
  username: string;
  presenceConfig: string;
  origin: Origin;
}

export function parseAssignmentCsv(text: string, file: string): { rows: CsvRow[]; problems: ConfigProblem[] } {
  const { records, error } = parseCsvRecords(text);
  const problems: ConfigProblem[] = [];
  const rows: CsvRow[] = [];
  if (error) problems.push({ message: `CSV: ${error.message}.`, hint: 'Quote fields containing commas and double any quote inside a quoted field ("").', origin: { file, line: error.line, column: 1 } });
  if (records.length === 0) {
    if (!error) problems.push({ message: 'CSV file is empty; expected the header username,presenceConfig.', origin: { file, line: 1, column: 1 } });
    return { rows, problems };
  }
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const userCol = header.indexOf('username');
  const configCol = header.findIndex((h) => h === 'presenceconfig' || h === 'presence_config' || h === 'presenceconfiguration');
  if (userCol < 0 || configCol < 0) {
    // The header is not quoted back: the file may not be a CSV at all (a wrong path) and its first line may be a secret.
    problems.push({ message: `CSV header must name the columns username and presenceConfig; the first line has ${headerSummary(header, ['username', 'presenceconfig'])}.`, hint: 'Start the file with the line: username,presenceConfig', origin: { file, line: records[0].line, column: 1 } });
    return { rows, problems };
  }
  const seen = new Map<string, CsvRow>();
  for (const record of records.slice(1)) {
    const origin: Origin = { file, line: record.line, column: 1 };
    if (record.fields.length !== header.length) {
      problems.push({ message: `CSV row has ${record.fields.length} field(s), the header has ${header.length}.`, hint: 'Quote values that contain commas.', origin });
      continue;
    }
    const username = record.fields[userCol].trim();
    const presenceConfig = record.fields[configCol].trim();
    if (!username || !presenceConfig) {
      problems.push({ message: `CSV row is missing ${!username ? 'the username' : 'the presenceConfig'}.`, origin });
      continue;
    }
    if (/\s/.test(username)) {
      problems.push({ message: `"${username}" is not a username (usernames contain no spaces).`, origin });
      continue;
    }
    const key = username.toLowerCase();
    const previous = seen.get(key);
    if (previous && previous.presenceConfig.toLowerCase() !== presenceConfig.toLowerCase()) {
      problems.push({ message: `${username} is given two configurations: ${previous.presenceConfig} (line ${previous.origin.line}) and ${presenceConfig}.`, hint: 'A user holds one presence configuration; keep one row.', origin });
      continue;
    }
    if (previous) continue;
    const row = { username, presenceConfig, origin };
    seen.set(key, row);
    rows.push(row);
  }
  return { rows, problems };
}

/**
 * A CSV of usernames (queue and skill members): a header naming a `username` column, one user a row; other
 * columns are ignored, so an HR export can be used as is. Duplicates are dropped; bad rows are file:line.
 */
export function parseUsernameCsv(text: string, file: string): { rows: Array<{ username: string; origin: Origin }>; problems: ConfigProblem[] } {
  const { records, error } = parseCsvRecords(text);
  const problems: ConfigProblem[] = [];
  const rows: Array<{ username: string; origin: Origin }> = [];
  if (error) problems.push({ message: `CSV: ${error.message}.`, hint: 'Quote fields containing commas and double any quote inside a quoted field ("").', origin: { file, line: error.line, column: 1 } });
  if (records.length === 0) {
    if (!error) problems.push({ message: 'CSV file is empty; expected a header with a username column.', origin: { file, line: 1, column: 1 } });
    return { rows, problems };
  }
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const userCol = header.indexOf('username');
  if (userCol < 0) {
    problems.push({ message: `CSV header must name a username column; the first line has ${headerSummary(records[0].fields.map((h) => h.trim().toLowerCase()), ['username'])}.`, hint: 'Start the file with the line: username', origin: { file, line: records[0].line, column: 1 } });
    return { rows, problems };
  }
  const seen = new Set<string>();
  for (const record of records.slice(1)) {
    const origin: Origin = { file, line: record.line, column: 1 };
    if (record.fields.length !== header.length) {
      problems.push({ message: `CSV row has ${record.fields.length} field(s), the header has ${header.length}.`, hint: 'Quote values that contain commas.', origin });
      continue;
    }
    const username = record.fields[userCol].trim();
    if (!username) {
      problems.push({ message: 'CSV row is missing the username.', origin });
      continue;
    }
    if (/\s/.test(username)) {
      problems.push({ message: `"${username}" is not a username (usernames contain no spaces).`, origin });
      continue;
    }
    if (seen.has(username.toLowerCase())) continue;
    seen.add(username.toLowerCase());
    rows.push({ username, origin });
  }
  return { rows, problems };
}

/** One CSV field, quoted when needed (RFC 4180). Also neutralises spreadsheet formulas. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "3 fields, none named username" — what the header lacks, without quoting it. */
function headerSummary(header: string[], wanted: string[]): string {
  const missing = wanted.filter((w) => !header.some((h) => h === w || (w === 'presenceconfig' && (h === 'presence_config' || h === 'presenceconfiguration'))));
  return `${header.length} field(s), none named ${missing.join(' or ')}`;
}
