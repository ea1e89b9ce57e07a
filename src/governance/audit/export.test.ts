import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry } from '../../store/audit-repo.js';
import { csvHeader, csvLine, jsonlLine, parseSince } from './export.js';

const entry: AuditEntry = {
  seq: 7,
  at: '2026-03-02T12:00:00.000Z',
  kind: 'intent',
  actor: '=HYPERLINK("http://evil")',
  action: 'jira:issues:create',
  verdict: 'allow',
  risk: 55,
  run_id: null,
  payload: { reasons: ['a, "quoted" reason'] },
  prev_hash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('audit export', () => {
  it('writes JSON Lines exactly as stored, so an exported copy can be re-verified', () => {
    assert.deepEqual(JSON.parse(jsonlLine(entry)), entry);
  });

  it('writes CSV with quoting and formula injection defused', () => {
    assert.equal(csvHeader().split(',').length, 11);
    const line = csvLine(entry);
    assert.ok(
      line.startsWith(
        `7,2026-03-02T12:00:00.000Z,intent,"'=HYPERLINK(""http://evil"")",jira:issues:create,allow,55,,`,
      ),
    );
    assert.ok(line.includes('"{""reasons"":[""a, \\""quoted\\"" reason""]}"'));
  });

  it('reads --since as a duration back from now or as a date', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    assert.equal(parseSince('1d', now).toISOString(), '2026-03-01T12:00:00.000Z');
    assert.equal(parseSince('2026-02-01', now).toISOString(), '2026-02-01T00:00:00.000Z');
    assert.throws(() => parseSince('yesterday', now), /neither a duration nor a date/);
  });
});
