import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAdf } from './adf.js';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const reason = (value: unknown) => {
  const check = checkAdf(value);
  return check.ok ? 'ok' : check.reason;
};

describe('checkAdf', () => {
  it('accepts the description Arx builds: links, bullet lists, code blocks', () => {
    const description = doc(
      {
        type: 'paragraph',
        content: [{ type: 'text', text: 'Wiz', marks: [{ type: 'link', attrs: { href: 'https://x' } }] }],
      },
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }] },
        ],
      },
      { type: 'codeBlock', attrs: { language: 'json' }, content: [{ type: 'text', text: '{}' }] },
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Fix' }] },
    );
    assert.equal(reason(description), 'ok');
  });

  it('tells a plain string apart from a broken document', () => {
    const plain = checkAdf('text');
    assert.equal(!plain.ok && plain.notADocument, true);
    const broken = checkAdf(doc({ type: 'text', text: 'loose' }));
    assert.equal(!broken.ok && broken.notADocument, false);
  });

  it('names the path of misplaced nodes, bad marks and missing attributes', () => {
    assert.match(
      reason(doc({ type: 'listItem', content: [] })),
      /doc\.content\[0\]: "listItem" cannot appear here/,
    );
    assert.match(
      reason(doc({ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] })),
      /doc\.content\[0\]\.content\[0\]: unknown mark "blink"/,
    );
    assert.match(reason(doc({ type: 'heading', content: [] })), /heading needs attrs\.level/);
    assert.match(reason({ type: 'doc', version: 2, content: [] }), /version must be 1/);
  });
});
