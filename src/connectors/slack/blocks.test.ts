import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkBlocks } from '../../sandbox/slack/blocks.js';
import { digestBlocks, digestText, escapeMrkdwn, link } from './blocks.js';

const severity = fc.constantFrom('critical', 'high', 'medium', 'low', 'informational' as const);

describe('Slack digest blocks', () => {
  it('stay within Block Kit limits for any digest, however long (property)', () => {
    const ticket = fc.record({
      key: fc.string({ minLength: 1, maxLength: 20 }),
      url: fc.oneof(fc.webUrl(), fc.string()),
      title: fc.string({ maxLength: 600 }),
      severity,
    });
    const digest = fc.record({
      title: fc.string({ minLength: 1, maxLength: 300 }),
      team: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
      counts: fc.dictionary(severity, fc.nat(10_000)),
      tickets: fc.array(ticket, { maxLength: 400 }),
      maxTickets: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
      footer: fc.option(fc.string({ maxLength: 3000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(digest, (d) => {
        const blocks = digestBlocks(d);
        assert.ok(blocks.length <= 50);
        assert.deepEqual(checkBlocks(blocks), []);
      }),
      { numRuns: 200 },
    );
  });

  it('counts per severity, most severe first, with linked tickets and a text fallback', () => {
    const digest = {
      title: 'Digest',
      counts: { low: 1, critical: 2 },
      tickets: [
        { key: 'SEC-2', url: 'https://j/SEC-2', title: 'minor', severity: 'low' as const },
        { key: 'SEC-1', url: 'https://j/SEC-1', title: 'a < b', severity: 'critical' as const },
      ],
      maxTickets: 1,
    };
    const json = JSON.stringify(digestBlocks(digest));
    assert.ok(json.indexOf('Critical') < json.indexOf('Low'));
    assert.match(json, /<https:\/\/j\/SEC-1\|SEC-1> a &lt; b/);
    assert.ok(!json.includes('SEC-2>'), 'only maxTickets are listed');
    assert.match(json, /…and 1 more/);
    assert.equal(digestText(digest), 'Digest: 2 critical, 1 low; 2 tickets');
  });

  it('escapes mrkdwn and links only http(s) URLs', () => {
    assert.equal(escapeMrkdwn('<@U1> & co'), '&lt;@U1&gt; &amp; co');
    assert.equal(link('javascript:x', 'go'), 'go');
    assert.equal(link('https://x/a|b', 'a|b'), '<https://x/a%7Cb|a¦b>');
  });
});
