import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBlocks } from './blocks.js';

describe('checkBlocks', () => {
  it('accepts the blocks Arx sends: header, section with fields and a button, context, divider', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'CRITICAL finding' } },
      {
        type: 'section',
        fields: [{ type: 'mrkdwn', text: '*Account*\n123456789012' }],
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://app.wiz.io' },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Arx' }] },
      { type: 'divider' },
    ];
    assert.deepEqual(checkBlocks(blocks), []);
  });

  it('reports limits with json-pointers: block count, empty text, field count, duplicate block ids', () => {
    assert.deepEqual(checkBlocks(Array.from({ length: 51 }, () => ({ type: 'divider' }))), [
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    assert.deepEqual(checkBlocks([{ type: 'section', text: { type: 'mrkdwn', text: '' } }]), [
      '[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ]);
    const fields = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' }));
    assert.deepEqual(checkBlocks([{ type: 'section', fields }]), [
      '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ]);
    assert.deepEqual(
      checkBlocks([
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ]),
      ['[ERROR] duplicate block_id: a [json-pointer:/blocks/1/block_id]'],
    );
    assert.deepEqual(checkBlocks([{ type: 'section' }]), [
      '[ERROR] must provide either text or fields [json-pointer:/blocks/0]',
    ]);
  });
});
