import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCsv } from './csv.js';

test('quoted fields keep commas, quotes and line breaks; records know their starting line', () => {
  const text =
    '\uFEFF#model_version:v1,score_date:2025-08-26\r\na,b,c\r\n1,"x, ""y""",3\r\n\r\n2,"two\nlines",z\n3,,\n';
  const { comments, records } = parseCsv(text);
  assert.deepEqual(comments, ['model_version:v1,score_date:2025-08-26']);
  assert.deepEqual(
    records.map((r) => [r.line, r.fields]),
    [
      [2, ['a', 'b', 'c']],
      [3, ['1', 'x, "y"', '3']],
      [5, ['2', 'two\nlines', 'z']],
      [7, ['3', '', '']],
    ],
  );
});

test('an unclosed quote is an error naming its line', () => {
  assert.throws(() => parseCsv('a,b\n1,"oops\n2,3\n'), /line 2: a quoted field is never closed/);
});

test('property: fields written the RFC 4180 way read back unchanged', () => {
  const field = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ',', '"', '\n', ' ', 'é') });
  fc.assert(
    fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      (rows) => {
        const text = rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\r\n');
        assert.deepEqual(
          parseCsv(text).records.map((r) => r.fields),
          rows,
        );
      },
    ),
  );
});
