import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ArxError, UsageError } from '../../core/errors.js';
import {
  type ImportedRecord,
  type ImportOptions,
  importFile,
  importText,
  loadKnowledgeBase,
} from './import-file.js';
import { createImportTally } from './summary.js';

const fixturePath = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const fixture = (path: string) => readFileSync(fixturePath(path), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'arx-import-'));

async function collect(iterable: AsyncIterable<ImportedRecord> | Iterable<ImportedRecord>) {
  const out: ImportedRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

function tally(records: ImportedRecord[]) {
  const t = createImportTally();
  for (const r of records) t.add(r);
  return t;
}

const wiz: ImportOptions = { source: 'wiz' };

after(() => rmSync(scratch, { recursive: true, force: true }));

describe('importing Wiz payloads', () => {
  test('a full GraphQL issues response: every node, with where it came from', async () => {
    const records = await collect(importFile(fixturePath('wiz/fixtures/issues-page.json'), wiz));
    assert.deepEqual(
      records.map((r) => r.at),
      [0, 1, 2, 3].map((i) => `data.issues.nodes[${i}]`),
    );
    const t = tally(records);
    assert.deepEqual(t.summary(), { imported: 3, merged: 0, quarantined: 1 });
    assert.equal(t.quarantines()[0]?.at, 'data.issues.nodes[3]');
    assert.equal(t.quarantines()[0]?.path, 'severity');
  });

  test('NDJSON is streamed line by line; blank lines are skipped, a broken line is quarantined', async () => {
    const file = join(scratch, 'configs.ndjson');
    writeFileSync(file, `${fixture('wiz/fixtures/configuration-findings.ndjson')}{"id": "cf-9", "trunc\n`);
    const records = await collect(importFile(file, wiz));
    assert.deepEqual(
      records.map((r) => [r.at, r.result.ok]),
      [
        ['line 1', true],
        ['line 2', true],
        ['line 4', false],
        ['line 5', false],
      ],
    );
    const broken = records[3]?.result;
    assert.ok(broken && !broken.ok);
    assert.match(broken.reason, /line 5 is not valid JSON/);
  });

  test('NDJSON without the extension is recognised too', async () => {
    const records = await collect(importText(fixture('wiz/fixtures/configuration-findings.ndjson'), wiz));
    assert.equal(records.length, 3);
  });

  test('an array of nodes of mixed kinds, and an array of saved pages', async () => {
    const issue = JSON.parse(fixture('wiz/fixtures/issues-page.json')).data.issues.nodes[0];
    const vuln = JSON.parse(fixture('wiz/fixtures/vulnerability-findings.json')).data.vulnerabilityFindings
      .nodes[0];
    const mixed = await collect(importText(JSON.stringify([issue, vuln, { hello: 'world' }]), wiz));
    assert.deepEqual(
      mixed.map((r) => (r.result.ok ? r.result.finding.class : r.result.reason.slice(0, 20))),
      ['compliance', 'vulnerability', 'not a Wiz issue, vul'],
    );
    const pages = `[${fixture('wiz/fixtures/issues-page.json')},${fixture('wiz/fixtures/vulnerability-findings.json')}]`;
    const records = await collect(importText(pages, wiz));
    assert.equal(records.length, 8);
    assert.equal(records[4]?.at, '[1].data.vulnerabilityFindings.nodes[0]');
  });

  test('importing the same payload twice merges instead of importing again', async () => {
    const t = createImportTally();
    for (let i = 0; i < 2; i++) {
      for (const r of await collect(
        importFile(fixturePath('wiz/fixtures/vulnerability-findings.json'), wiz),
      )) {
        t.add(r);
      }
    }
    assert.deepEqual(t.summary(), { imported: 3, merged: 3, quarantined: 2 });
    const known = createImportTally();
    const [first] = await collect(importFile(fixturePath('wiz/fixtures/vulnerability-findings.json'), wiz));
    assert.ok(first);
    assert.equal(known.add(first, { exists: true }), 'merged', 'a key the store already holds is merged');
  });

  test('a saved GraphQL error, XML, an empty file and a missing file are clear caller errors', async () => {
    const error = JSON.stringify({
      data: null,
      errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    await assert.rejects(
      collect(importText(error, wiz)),
      (err: unknown) =>
        err instanceof ArxError && err.fault === 'caller' && /GraphQL error: Unauthorized/.test(err.message),
    );
    await assert.rejects(collect(importText('<xml/>', wiz)), /looks like XML/);
    await assert.rejects(collect(importText('  \n', wiz)), UsageError);
    await assert.rejects(collect(importFile(join(scratch, 'nope.json'), wiz)), /no such file/);
  });
});

describe('importing Qualys payloads', () => {
  test('detections with the KnowledgeBase: findings per CVE and quarantined detections', async () => {
    const knowledgeBase = await loadKnowledgeBase([fixturePath('qualys/fixtures/knowledge-base.xml')]);
    const records = await collect(
      importFile(fixturePath('qualys/fixtures/detections-page.xml'), { source: 'qualys', knowledgeBase }),
    );
    assert.deepEqual(tally(records).summary(), { imported: 6, merged: 0, quarantined: 3 });
    assert.equal(records[0]?.at, 'qualys:294650000:CVE-2024-3094');
    assert.equal(records[1]?.at, 'HOST[0].DETECTION_LIST.DETECTION[1].QID');
  });

  test('without a KnowledgeBase, with the wrong file kind, or broken XML: usage errors that say what to pass', async () => {
    const detections = fixture('qualys/fixtures/detections-page.xml');
    await assert.rejects(collect(importText(detections, { source: 'qualys' })), /--kb FILE/);
    await assert.rejects(
      collect(importText(fixture('qualys/fixtures/knowledge-base.xml'), { source: 'qualys' })),
      /is a KnowledgeBase file/,
    );
    await assert.rejects(collect(importText('{"data":{}}', { source: 'qualys' })), /Qualys payloads are XML/);
    await assert.rejects(
      collect(importText(detections.slice(0, 500), { source: 'qualys', knowledgeBase: new Map() })),
      (err: unknown) => err instanceof UsageError && /not well formed/.test(err.message),
    );
  });
});
