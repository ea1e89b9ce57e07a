import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../../src/config/load.js';
import { arxConfigSchema } from '../../src/config/schema.js';
import type { ConfigError } from '../../src/core/errors.js';
import { builtinCatalog } from '../../src/governance/operations/index.js';
import { evaluatePolicy } from '../../src/governance/policy.js';
import { DemoTenant } from '../../src/sandbox/tenant/tenant.js';
import {
  builtinPolicyRules,
  builtinWorkflows,
  withBuiltinPolicy,
} from '../../src/workflows/library/index.js';
import { sandboxWorkflowOptions } from '../../src/workflows/library/shared/sandbox-options.js';
import { envVariableOf } from '../../src/workflows/sdk/define.js';
import type { z } from '../../src/workflows/sdk/index.js';
import { resolveOptions } from '../../src/workflows/sdk/options.js';

/**
 * The library as users meet it: each workflow is a folder with its README and an example arx.yaml that
 * the real loader accepts, that configures the workflow's options, and that states the policy the workflow
 * ships. READMEs name every option and environment variable. A README set-up (environment only) works.
 */
const LIBRARY = join(dirname(fileURLToPath(import.meta.url)), '../../src/workflows/library');
const NO_ENV = {};

describe('workflow library', () => {
  it('holds the four seed workflows, each a folder with workflow.ts, README.md and arx.yaml', () => {
    assert.deepEqual(builtinWorkflows.map((w) => w.name).sort(), [
      'cloud-misconfig-remediation',
      'critical-vuln-escalation',
      'vuln-ticket-creation',
      'wiz-finding-distribution',
    ]);
    for (const workflow of builtinWorkflows) {
      for (const file of ['workflow.ts', 'README.md', 'arx.yaml']) {
        assert.ok(existsSync(join(LIBRARY, workflow.name, file)), `${workflow.name}/${file}`);
      }
    }
  });

  for (const workflow of builtinWorkflows) {
    describe(workflow.name, () => {
      const folder = join(LIBRARY, workflow.name);
      const readme = () => readFileSync(join(folder, 'README.md'), 'utf8');

      it('runs on its defaults with no arx.yaml and no variables', () => {
        assert.doesNotThrow(() => resolveOptions(workflow, undefined, NO_ENV));
      });

      it('its example arx.yaml loads, configures its options, schedules it as documented and ships its policy', () => {
        const { config } = readConfig({ file: join(folder, 'arx.yaml'), env: NO_ENV });
        assert.doesNotThrow(() => resolveOptions(workflow, config.workflows[workflow.name], NO_ENV));
        const schedule = config.schedule.find((s) => s.workflow === workflow.name);
        assert.equal(schedule?.cron, workflow.schedule);
        const shipped = builtinPolicyRules.filter((r) =>
          r.match.principal?.includes(`workflow:${workflow.name}`),
        );
        assert.ok(shipped.length > 0);
        for (const rule of shipped) {
          const stated = config.governance.rules.find((r) => r.name === rule.name);
          assert.ok(stated, `arx.yaml states ${rule.name}`);
          assert.equal(stated.verdict, rule.verdict);
          assert.deepEqual(stated.match.operation, rule.match.operation);
        }
      });

      it('its README names every option, its variable and the schedule', () => {
        const text = readme();
        const shape = workflow.options.shape as Record<string, z.ZodType>;
        for (const [option, schema] of Object.entries(shape)) {
          assert.ok(text.includes(`\`${option}\``), `README documents ${option}`);
          const variable = envVariableOf(schema);
          if (variable) assert.ok(text.includes(variable), `README names ${variable}`);
        }
        assert.ok(text.includes(workflow.schedule!), 'README gives the schedule');
        assert.ok(text.includes(`arx run ${workflow.name}`));
      });

      it('the sandbox’s options for it are valid options of it', () => {
        const tenant = new DemoTenant({ seed: 1, findings: 50 });
        const options = sandboxWorkflowOptions(tenant)[workflow.name];
        assert.ok(options);
        assert.doesNotThrow(() => resolveOptions(workflow, options, NO_ENV));
      });
    });
  }

  it('reads a README set-up from the environment alone', () => {
    const distribution = builtinWorkflows.find((w) => w.name === 'wiz-finding-distribution')!;
    const options = resolveOptions(distribution, undefined, {
      SEVERITIES: 'critical, high, medium',
      SLACK_CHANNEL: '#sec-findings',
      TEAM_CHANNEL_MAP: 'platform=#platform-sec,data=#data-sec',
      ACCOUNT_OWNER_MAP: '123456789012=platform,210987654321=data',
      JIRA_ISSUE_TYPE: 'Task',
    }) as Record<string, unknown>;
    assert.deepEqual(options.severities, ['CRITICAL', 'HIGH', 'MEDIUM']);
    assert.equal(options.default_channel, '#sec-findings');
    assert.deepEqual(options.team_channel_map, { platform: '#platform-sec', data: '#data-sec' });
    assert.deepEqual(options.account_owner_map, { '123456789012': 'platform', '210987654321': 'data' });
    assert.equal(options.issue_type, 'Task');
    assert.throws(
      () => resolveOptions(distribution, undefined, { SEVERITIES: 'CRITICAL,URGENT' }),
      (err: ConfigError) => {
        const [issue] = err.issues;
        assert.match(issue!.path, /^workflows\.wiz-finding-distribution\.severities/);
        assert.match(issue!.message, /\$SEVERITIES/);
        return true;
      },
    );
  });

  it('shipped rules decide only for their own workflow, and a same-named arx.yaml rule replaces one', () => {
    const catalog = builtinCatalog();
    const decide = (config: ReturnType<typeof withBuiltinPolicy>, principal: string, operationId: string) =>
      evaluatePolicy(config.governance, {
        operationId,
        operation: catalog.get(operationId),
        principal: {
          kind: principal.startsWith('agent:') ? 'agent' : 'workflow',
          id: principal.split(':')[1]!,
        },
        risk: { score: 40, factors: [] } as never,
        now: new Date('2026-03-02T12:00:00Z'),
      });
    const defaults = withBuiltinPolicy(arxConfigSchema.parse({}));
    const update = 'wiz:issues:update';
    assert.equal(decide(defaults, 'workflow:cloud-misconfig-remediation', update).verdict, 'deny');
    assert.equal(
      decide(defaults, 'workflow:cloud-misconfig-remediation', 'aws:s3:put-public-access-block').verdict,
      'deny',
    );
    assert.equal(decide(defaults, 'workflow:critical-vuln-escalation', update).verdict, 'deny');
    assert.equal(
      decide(defaults, 'agent:triage', update).rule,
      '(thresholds)',
      'other principals are not touched',
    );
    assert.equal(
      decide(defaults, 'workflow:cloud-misconfig-remediation', 'wiz:findings:read').verdict,
      'allow',
    );

    const relaxed = withBuiltinPolicy(
      arxConfigSchema.parse({
        governance: {
          rules: [
            {
              name: 'critical-vuln-escalation.no-scanner-writes',
              verdict: 'escalate',
              priority: 1000,
              match: { principal: 'workflow:critical-vuln-escalation', operation: 'wiz:issues:comment' },
            },
          ],
        },
      }),
    );
    assert.equal(
      decide(relaxed, 'workflow:critical-vuln-escalation', 'wiz:issues:comment').verdict,
      'escalate',
    );
    assert.equal(decide(relaxed, 'workflow:cloud-misconfig-remediation', update).verdict, 'deny');
  });
});
