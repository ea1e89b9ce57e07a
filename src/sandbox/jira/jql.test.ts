import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JqlError, parseJql } from './jql.js';

describe('parseJql', () => {
  it('binds AND tighter than OR and honours parentheses and NOT', () => {
    const { where } = parseJql('project = SEC AND labels = a OR labels = b');
    assert.equal(where?.kind, 'or');
    const grouped = parseJql('project = SEC AND (labels = a OR NOT labels = b)').where;
    assert.equal(grouped?.kind, 'and');
    assert.deepEqual(grouped?.kind === 'and' && grouped.parts[1]?.kind, 'or');
  });

  it('reads IN lists, quoted values, IS EMPTY and ORDER BY with default directions', () => {
    const query = parseJql('key in (SEC-1, "SEC-2") AND labels IS NOT EMPTY order by priority, created');
    assert.deepEqual(query.where, {
      kind: 'and',
      parts: [
        { kind: 'clause', field: 'key', operator: 'in', values: ['SEC-1', 'SEC-2'] },
        { kind: 'clause', field: 'labels', operator: 'is not', values: [] },
      ],
    });
    assert.deepEqual(query.orderBy, [
      { field: 'priority', direction: 'asc' },
      { field: 'created', direction: 'desc' },
    ]);
  });

  it('names the position of a syntax error and refuses what the emulator cannot answer', () => {
    assert.throws(() => parseJql('labels = "open'), /quoted string has not been completed/);
    assert.throws(() => parseJql('labels ='), /Expecting either a value or a function/);
    assert.throws(() => parseJql('labels = a b'), /Unexpected 'b' \(line 1, character 12\)/);
    assert.throws(() => parseJql('status WAS Done'), JqlError);
    assert.throws(() => parseJql('summary = x'), /operator '=' is not supported by the 'summary' field/);
    assert.throws(() => parseJql('ORDER BY rank'), /ORDER BY rank is not supported/);
  });
});
