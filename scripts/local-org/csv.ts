/** RFC 4180 CSV as Bulk API 2.0 speaks it: quoted fields, doubled quotes, LF or CRLF line endings. */

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else value += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(value);
      value = '';
    } else if (c === '\n' || c === '\r') {
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
      if (c === '\r' && body[i + 1] === '\n') i++;
    } else value += c;
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (value !== '' || row.length) {
    row.push(value);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

function quote(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

export function formatCsv(header: string[], rows: unknown[][], lineEnding = '\n'): string {
  return [header, ...rows].map((r) => r.map(quote).join(',')).join(lineEnding) + lineEnding;
}
