import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { defineWorkflow, envVariableOf, fromEnv, isWorkflow } from './define.js';

const run = async () => {};

describe('defineWorkflow', () => {
  it('returns a branded, frozen workflow with an empty options schema by default', () => {
    const workflow = defineWorkflow({
      name: 'stale-sweep',
      description: 'Close stale tickets',
      connectors: ['jira'],
      run,
    });
    assert.equal(isWorkflow(workflow), true);
    assert.equal(Object.isFrozen(workflow), true);
    assert.deepEqual(workflow.options.parse({}), {});
    assert.equal(isWorkflow({ ...workflow }), true, 'the brand survives a spread (a global symbol)');
    assert.equal(isWorkflow({ name: 'x', run }), false);
  });

  it('refuses a declaration that cannot work, naming every problem', () => {
    assert.throws(
      () =>
        defineWorkflow({
          name: 'Wiz Sweep',
          description: ' ',
          connectors: ['wiz', ''],
          schedule: 'every day',
          run: undefined as never,
        }),
      (err: Error & { code?: string; fault?: string }) => {
        assert.equal(err.code, 'workflow_invalid');
        assert.equal(err.fault, 'caller');
        for (const part of [
          /name must be lower-case words/,
          /description/,
          /connectors must list/,
          /run must be an async function/,
          /schedule "every day" is not a cron expression/,
        ]) {
          assert.match(err.message, part);
        }
        return true;
      },
    );
  });

  it('fromEnv marks the variable an option falls back to, through defaults and optionals', () => {
    assert.equal(envVariableOf(fromEnv('JIRA_PROJECT_KEY', z.string().default('SEC'))), 'JIRA_PROJECT_KEY');
    assert.equal(envVariableOf(fromEnv('SLACK_CHANNEL', z.string()).optional()), 'SLACK_CHANNEL');
    assert.equal(envVariableOf(z.string()), undefined);
  });
});
