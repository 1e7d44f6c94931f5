/**
 * RFC 4180 CSV parsing: quoted fields, doubled quotes, CRLF or LF. Yields one record per row as
 * an array of fields; the caller maps headers.
 */
export function* parseCsv(text: string): Generator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') yield row;
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}

/** Parses CSV text with a header row into records keyed by header. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const rows = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.next();
  if (header.done) return [];
  const names = header.value;
  const out: Record<string, string>[] = [];
  for (const r of rows) {
    const rec: Record<string, string> = {};
    names.forEach((n, i) => (rec[n] = r[i] ?? ''));
    out.push(rec);
  }
  return out;
}
