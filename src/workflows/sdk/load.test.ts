import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isWorkflow } from './define.js';
import { loadWorkflowFromPath } from './load.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const sdk = join(root, 'src/workflows/sdk/index.ts');

/** A temp folder holding `files`; returns its path. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'arx-load-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function failure(path: string, cwd = root): Promise<Error & { code?: string; hint?: string }> {
  try {
    await loadWorkflowFromPath(path, cwd);
  } catch (err) {
    return err as Error & { code?: string };
  }
  assert.fail(`expected ${path} to fail`);
}

describe('loadWorkflowFromPath', () => {
  it('loads a folder whose workflow.ts exports the definition (TypeScript compiled on the fly)', async () => {
    const workflow = await loadWorkflowFromPath('./test/fixtures/workflows/ticketing', root);
    assert.equal(isWorkflow(workflow), true);
    assert.equal(workflow.name, 'ticketing');
    assert.deepEqual([...workflow.connectors], ['tickets']);
  });

  it('loads a workflow.js, and a file named directly', async () => {
    const dir = folder({
      'workflow.js': `import { defineWorkflow } from ${JSON.stringify(sdk)};\nexport default defineWorkflow({ name: 'plain-js', description: 'js', connectors: [], run: async () => {} });\n`,
    });
    assert.equal((await loadWorkflowFromPath(dir)).name, 'plain-js');
    assert.equal((await loadWorkflowFromPath(join(dir, 'workflow.js'))).name, 'plain-js');
  });

  it('explains each way a path can be wrong', async () => {
    assert.match(
      (await failure('./no/such/place')).message,
      /no workflow at \.\/no\/such\/place: that path does not exist/,
    );
    const empty = await failure('./test/fixtures');
    assert.match(empty.message, /the folder \.\/test\/fixtures holds no workflow/);
    assert.match(empty.hint ?? '', /workflow\.ts, workflow\.mts, workflow\.js, workflow\.mjs/);

    const noDefault = folder({ 'workflow.ts': 'export const name = "x";\n' });
    assert.match((await failure(noDefault)).message, /workflow\.ts has no default export/);
    const notWorkflow = folder({ 'workflow.ts': 'export default { name: "x", run() {} };\n' });
    const wrong = await failure(notWorkflow);
    assert.match(wrong.message, /the default export of .*workflow\.ts is not a workflow/);
    assert.match(wrong.hint ?? '', /defineWorkflow/);
    const broken = folder({ 'workflow.ts': 'export default defineWorkflow({ name: \n' });
    const syntax = await failure(broken);
    assert.equal(syntax.code, 'workflow_load_failed');
    assert.match(syntax.message, /could not load .*workflow\.ts: /);

    const sub = folder({});
    mkdirSync(join(sub, 'notes'));
    writeFileSync(join(sub, 'notes', 'readme.txt'), 'hi');
    assert.match((await failure(join(sub, 'notes', 'readme.txt'))).message, /is not a workflow file/);
  });
});
