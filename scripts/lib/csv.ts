/**
 * RFC 4180 CSV, the one parser and writer of the project: assignment files from spreadsheets and HR
 * exports (BOM, CRLF or LF, blank lines, quoted fields spanning lines). Records carry the line they start on, for file:line messages.
 */
import { messageText } from './messages.ts';

/** Splits CSV text into records with the line each starts on; quoted fields may span lines. */
export function parseCsvRecords(text: string): { records: Array<{ line: number; fields: string[] }>; error?: { line: number; message: string } } {
  const records: Array<{ line: number; fields: string[] }> = [];
  const error = forEachCsvRecord(text, (fields, line) => records.push({ line, fields }));
  return error ? { records, error } : { records };
}

/**
 * Hands each record of CSV text to `onRecord` as it is parsed (blank lines skipped), with the line it
 * starts on, so that a 100,000-row file is never held as an array of records; returns the syntax error
 * that stopped the parse, if any (the records before it have been handed on).
 */
export function forEachCsvRecord(text: string, onRecord: (fields: string[], line: number) => void): { line: number; message: string } | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let inQuotes = false;
    for (;;) {
      if (i >= text.length) {
        if (inQuotes) return { line: startLine, message: messageText('input', 'csv.unterminatedQuote') };
        fields.push(field);
        break;
      }
      const c = text[i];
      if (inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
        continue;
      }
      if (c === '"' && field === '' && !quoted) {
        inQuotes = true;
        quoted = true;
        i++;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        quoted = false;
        i++;
      } else if (c === '\r' || c === '\n') {
        fields.push(field);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else if (quoted) {
        return { line, message: messageText('input', 'csv.afterClosingQuote') };
      } else {
        // Unquoted run: one slice instead of a string built char by char (100,000-row files).
        let j = i + 1;
        while (j < text.length) {
          const d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
    }
    if (!(fields.length === 1 && fields[0].trim() === '')) onRecord(fields, startLine);
  }
  return undefined;
}
