import { ArxError } from '../errors.js';

/** One CSV record and the file line it starts on (quoted fields may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV: quoted fields with `""` escapes and embedded commas or line breaks, CRLF or LF, a leading
 * byte-order mark. Lines starting with `#` before the header are returned separately as comments (FIRST's
 * EPSS files open with `#model_version:...,score_date:...`). Blank lines are skipped.
 */
export function parseCsv(text: string): { comments: string[]; records: CsvRecord[] } {
  const comments: string[] = [];
  const records: CsvRecord[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  while (i < src.length) {
    if (records.length === 0 && src[i] === '#') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      comments.push(src.slice(i + 1, stop).replace(/\r$/, ''));
      i = stop + 1;
      line += 1;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    let quotedAt = 0;
    for (; i < src.length; i++) {
      const ch = src[i]!;
      if (inQuotes) {
        if (ch === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i++;
          } else inQuotes = false;
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
      } else if (ch === '"' && field === '') {
        inQuotes = true;
        quotedAt = line;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && src[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else field += ch;
    }
    if (inQuotes) {
      throw new ArxError('csv_invalid', `line ${quotedAt}: a quoted field is never closed`, {
        fault: 'caller',
        hint: 'the file is truncated or not CSV; download it again',
      });
    }
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ line: start, fields });
  }
  return { comments, records };
}
