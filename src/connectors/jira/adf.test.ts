import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkAdf } from '../../sandbox/jira/adf.js';
import { adf, adfPlainText, findingDescription, textToAdf } from './adf.js';
import { issueCreateBody } from './issue-body.js';
import { priorityForSeverity } from './priority.js';

describe('Jira ADF builders', () => {
  it('always produce documents Jira accepts, whatever the finding text (property)', () => {
    const text = fc.string({ maxLength: 40 });
    const details = fc.record(
      {
        findingKey: text,
        summary: text,
        severity: text,
        remediation: fc.string({ maxLength: 200 }),
        resource: fc.record(
          { uid: fc.string({ minLength: 1 }), type: text, region: text },
          { requiredKeys: ['uid'] },
        ),
        sources: fc.array(fc.record({ vendor: text, id: text, url: fc.oneof(fc.webUrl(), text) }), {
          maxLength: 3,
        }),
        links: fc.array(
          fc.record({ text, href: fc.oneof(fc.webUrl(), fc.constant('javascript:alert(1)')) }),
          {
            maxLength: 3,
          },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(details, (d) => {
        const check = checkAdf(findingDescription(d));
        assert.ok(check.ok, check.ok ? '' : check.reason);
      }),
    );
    fc.assert(fc.property(fc.string(), (t) => assert.ok(checkAdf(textToAdf(t)).ok)));
  });

  it('renders facts, remediation paragraphs, sources with links, and the finding key', () => {
    const doc = findingDescription({
      findingKey: 'fk_1',
      severity: 'critical',
      resource: { uid: 'arn:aws:s3:::b', type: 'AwsS3Bucket', account: '123' },
      vulnerability: { cve: 'CVE-2024-3094', epss: 0.94, kev: true },
      remediation: 'Step one.\n\nStep two.',
      sources: [{ vendor: 'wiz', id: 'w1', url: 'https://app.wiz.io/x' }],
    });
    const text = adfPlainText(doc);
    for (const part of [
      'Severity: CRITICAL',
      'Resource: arn:aws:s3:::b (AwsS3Bucket)',
      'in CISA KEV',
      'Step two.',
      'wiz w1',
      'Arx finding key: fk_1',
    ]) {
      assert.ok(text.includes(part), `${part} in ${text}`);
    }
    assert.ok(JSON.stringify(doc).includes('"href":"https://app.wiz.io/x"'));
  });

  it('never makes a non-http link clickable', () => {
    assert.deepEqual(adf.link('x', 'javascript:alert(1)'), { type: 'text', text: 'x' });
  });
});

describe('Jira issue body', () => {
  it('maps severity to priority (critical → Highest, or Blocker when asked) unless a priority is given', () => {
    assert.equal(priorityForSeverity('critical'), 'Highest');
    assert.equal(priorityForSeverity('critical', { blocker: true }), 'Blocker');
    assert.equal(priorityForSeverity('informational'), 'Lowest');
    const body = issueCreateBody(
      { summary: 's', issueType: 'Bug', severity: 'high', priority: 'Low' },
      'SEC',
    );
    assert.deepEqual(body.fields.priority, { name: 'Low' });
  });

  it('carries the finding key as label and property, and the arx label, keeping the caller labels', () => {
    const body = issueCreateBody(
      { summary: 's', issueType: 'Task', labels: ['wiz', 'wiz'], findingKey: 'fk_9' },
      'SEC',
    );
    assert.deepEqual(body.fields.labels, ['wiz', 'arx-fk_9', 'arx']);
    assert.deepEqual(body.properties, [{ key: 'arx', value: { findingKey: 'fk_9' } }]);
    assert.deepEqual(body.fields.project, { key: 'SEC' });
    assert.deepEqual(body.fields.issuetype, { name: 'Task' });
  });
});
