import { describe, expect, test } from 'vitest';
import { csvField, exportFileName } from './events-export.ts';

/** RFC 4180 reader for the tests: what a spreadsheet does with our export. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('CSV export', () => {
  test.each([
    { name: 'plain text stays bare', value: 'create', written: 'create' },
    {
      name: 'a comma is quoted',
      value: 'system:masters,system:authenticated',
      written: '"system:masters,system:authenticated"',
    },
    { name: 'quotes are doubled', value: 'say "hi"', written: '"say ""hi"""' },
    { name: 'a newline is quoted', value: 'line 1\nline 2', written: '"line 1\nline 2"' },
    { name: 'absent values are empty', value: undefined, written: '' },
    { name: 'numbers are written as is', value: 403, written: '403' },
  ])('$name', ({ value, written }) => {
    expect(csvField(value)).toBe(written);
    expect(parseCsv(`${csvField(value)}\r\n`)).toEqual([[value === undefined ? '' : String(value)]]);
  });

  test('names the file after the format and the time', () => {
    expect(exportFileName('csv', new Date('2024-05-01T12:30:00.123Z'))).toBe('auditorium-events-20240501T123000Z.csv');
    expect(exportFileName('ndjson', new Date('2024-05-01T12:30:00Z'))).toBe(
      'auditorium-events-20240501T123000Z.ndjson',
    );
  });
});
