// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are arx.yaml text with ${VAR} references
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, type ConfigIssue } from '../core/errors.js';
import { REDACTED, secrets } from '../core/secrets.js';
import { loadConfig, parseConfig, parseConfigText, readConfig } from './load.js';
import { arxConfigSchema } from './schema.js';
import { redactSecrets } from './walk.js';

function issuesOf(text: string, env: Record<string, string> = {}): ConfigIssue[] {
  try {
    parseConfigText(text, { file: 'arx.yaml', env });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.file, 'arx.yaml');
    return err.issues;
  }
  assert.fail('expected the configuration to be rejected');
}

const byPath = (issues: ConfigIssue[]) => new Map(issues.map((issue) => [issue.path, issue]));

describe('loadConfig', () => {
  it('runs on built-in defaults when there is no arx.yaml', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'arx-config-'));
    const loaded = readConfig({ cwd, env: {} });
    assert.equal(loaded.file, undefined);
    assert.equal(loaded.config.governance.risk_threshold, 70);
    assert.equal(loaded.config.governance.deny_threshold, 90);
    assert.equal(loaded.config.governance.approvals.expiry, '1h');
    assert.equal(loaded.config.governance.audit.checkpoint_every_entries, 1000);
    assert.deepEqual(loaded.config.schedule, []);
  });

  it('reads ./arx.yaml, or the file $ARX_CONFIG names', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'arx-config-'));
    writeFileSync(join(cwd, 'arx.yaml'), 'governance:\n  risk_threshold: 60\n');
    writeFileSync(join(cwd, 'other.yaml'), 'governance:\n  risk_threshold: 50\n');
    assert.equal(loadConfig({ cwd, env: {} }).governance.risk_threshold, 60);
    assert.equal(loadConfig({ cwd, env: { ARX_CONFIG: 'other.yaml' } }).governance.risk_threshold, 50);
  });

  it('says a named file does not exist, as a configuration error', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'arx-config-'));
    assert.throws(
      () => readConfig({ cwd, file: 'missing.yaml', env: {} }),
      (err: unknown) =>
        err instanceof ConfigError && err.file === 'missing.yaml' && /not found/.test(err.issues[0]!.message),
    );
  });

  it('accepts the shipped example with an empty environment', () => {
    const loaded = readConfig({
      file: new URL('../../examples/arx.yaml', import.meta.url).pathname,
      env: {},
    });
    assert.equal(loaded.config.schedule[0]?.cron, '0 */4 * * *');
    assert.equal(loaded.config.schedule[0]?.workflow, 'wiz-finding-distribution');
    const verdicts = Object.fromEntries(
      loaded.config.governance.rules.map((rule) => [rule.name, rule.verdict]),
    );
    assert.equal(verdicts['allow-reads'], 'allow');
    assert.equal(verdicts['deny-wiz-writes'], 'deny');
    assert.equal(verdicts['escalate-destructive-in-prod'], 'escalate');
    assert.equal(loaded.config.connectors.qualys?.enabled, false);
    assert.equal(loaded.config.connectors.jira?.api_token, undefined, '${JIRA_API_TOKEN:-} means not set');
    assert.deepEqual(loaded.warnings, []);
  });
});

describe('configuration errors', () => {
  // Several mistakes at once: each must be named by path and line, typos with what was meant.
  const broken = [
    'connectors:', //                               1
    '  jria:', //                                   2  unknown connector
    '    url: https://acme.atlassian.net', //       3
    'governance:', //                               4
    '  risk_treshold: 70', //                       5  typo
    '  rules:', //                                  6
    '    - name: allow-reads', //                   7
    '      verdict: allow', //                      8
    '    - name: tickets', //                       9
    '      verdict: alow', //                      10  bad enum
    '      match:', //                             11
    '        operation: jira:isues:create', //     12  no such operation
    '    - name: allow-reads', //                  13  duplicate name
    '      verdict: deny', //                      14
    '      max_risk: 50', //                       15  max_risk on a deny
    'schedule:', //                                16
    '  workflow: wiz-finding-distribution', //     17
    '  cron: "0 25 * * *"', //                     18  hour 25
    '  timezone: Europe/Berln', //                 19  typo
  ].join('\n');

  it('lists every problem with its path, line, what is allowed and what was meant', () => {
    const issues = byPath(issuesOf(broken));
    const expected: Array<[string, number, string | undefined]> = [
      ['connectors.jria', 2, 'jira'],
      ['governance.risk_treshold', 5, 'risk_threshold'],
      ['governance.rules[1].verdict', 10, 'allow'],
      ['governance.rules[1].match.operation', 12, 'jira:issues:create'],
      ['governance.rules[2].name', 13, undefined],
      ['governance.rules[2].max_risk', 15, undefined],
      ['schedule.cron', 18, undefined],
      ['schedule.timezone', 19, 'Europe/Berlin'],
    ];
    assert.deepEqual([...issues.keys()].sort(), expected.map(([path]) => path).sort());
    for (const [path, line, suggestion] of expected) {
      const issue = issues.get(path)!;
      assert.equal(issue.line, line, `${path} line`);
      assert.equal(issue.suggestion, suggestion, `${path} suggestion`);
    }
    assert.match(issues.get('governance.rules[1].verdict')!.allowed!, /"allow" \| "escalate" \| "deny"/);
    assert.match(issues.get('connectors.jria')!.allowed!, /jira/);
    assert.match(issues.get('schedule.cron')!.message, /hour/);
    assert.match(issues.get('governance.rules[2].name')!.message, /already used by governance\.rules\[0\]/);
  });

  it('reports issues in file order with columns', () => {
    const issues = issuesOf(broken);
    const lines = issues.map((issue) => issue.line ?? 0);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    assert.ok(issues.every((issue) => typeof issue.column === 'number' && issue.column > 0));
  });

  it('points a missing required field at its entry', () => {
    const issues = byPath(issuesOf('governance:\n  rules:\n    - name: no-verdict\n      match: {}\n'));
    assert.equal(issues.get('governance.rules[0].verdict')?.message, 'is required');
    assert.equal(issues.get('governance.rules[0].verdict')?.line, 3);
  });

  it('gives ranges for numbers and types for wrong shapes', () => {
    const issues = byPath(
      issuesOf(
        'governance:\n  deny_threshold: 150\n  audit:\n    checkpoint_every_entries: lots\n  rules: {}\n',
      ),
    );
    assert.equal(issues.get('governance.deny_threshold')?.allowed, 'an integer from 0 to 100');
    assert.equal(issues.get('governance.audit.checkpoint_every_entries')?.line, 4);
    assert.equal(issues.get('governance.rules')?.allowed, 'a list');
  });

  it('reports YAML syntax errors with line and column', () => {
    const issues = issuesOf('governance:\n  rules: [1, 2\nschedule: x\n');
    assert.equal(issues.length >= 1, true);
    assert.match(issues[0]!.message, /^YAML /);
    assert.equal(typeof issues[0]!.line, 'number');
    const duplicate = issuesOf('governance:\n  risk_threshold: 1\n  risk_threshold: 2\n');
    assert.equal(duplicate[0]?.line, 3);
  });

  it('checks thresholds, approvals and drift across fields', () => {
    const issues = byPath(
      issuesOf(
        [
          'governance:',
          '  risk_threshold: 80',
          '  deny_threshold: 60',
          '  approvals:',
          '    approvers: { groups: { leads: [alice] } }',
          '    rules:',
          '      - { operation: "aws:*", required: 2, from: leads }',
          '  drift:',
          '    - { principal: "workflow:a", systems: [wiz], operations: ["wiz:findings:read"] }',
          '    - { principal: "workflow:a", systems: [wiz], operations: ["wiz:finding:read"] }',
        ].join('\n'),
      ),
    );
    assert.match(issues.get('governance.deny_threshold')!.message, /below risk_threshold/);
    assert.match(issues.get('governance.approvals.rules[0].required')!.message, /only 1 approver/);
    assert.match(issues.get('governance.drift[1].principal')!.message, /already used/);
    assert.equal(issues.get('governance.drift[1].operations[0]')?.suggestion, 'wiz:findings:read');
  });

  it('suggests the full id for a connector operation written without its connector', () => {
    const issues = byPath(issuesOf('connectors:\n  jira:\n    operations: [issues:create]\n'));
    assert.equal(issues.get('connectors.jira.operations[0]')?.suggestion, 'jira:issues:create');
  });

  it('allows any key inside free-form workflow options', () => {
    const config = parseConfigText(
      'workflows:\n  wiz-finding-distribution:\n    anything_goes: { deep: [1] }\n  bare:\n',
      {
        env: {},
      },
    ).config;
    assert.deepEqual(config.workflows['wiz-finding-distribution'], { anything_goes: { deep: [1] } });
    assert.deepEqual(config.workflows.bare, {});
  });
});

describe('environment interpolation', () => {
  const text = [
    'connectors:',
    '  jira:',
    '    url: ${JIRA_URL}',
    '    api_token: ${JIRA_API_TOKEN}',
    '    project_key: ${JIRA_PROJECT_KEY:-SEC}',
    '  qualys:',
    '    enabled: ${QUALYS_ENABLED:-false}',
    '    password: ${QUALYS_PASSWORD:-}',
    'governance:',
    '  risk_threshold: ${RISK_THRESHOLD:-65}',
  ].join('\n');

  it('fills values from the environment, with defaults, types and "not set"', () => {
    const config = parseConfigText(text, {
      env: { JIRA_URL: 'https://acme.atlassian.net', JIRA_API_TOKEN: 'jira-token-0001' },
    }).config;
    assert.equal(config.connectors.jira?.url, 'https://acme.atlassian.net');
    assert.equal(config.connectors.jira?.api_token, 'jira-token-0001');
    assert.equal(config.connectors.jira?.project_key, 'SEC');
    assert.equal(config.connectors.qualys?.enabled, false);
    assert.equal(config.connectors.qualys?.password, undefined);
    assert.equal(config.governance.risk_threshold, 65);
  });

  it('names the path and the variable when one is unset, once per field', () => {
    const issues = issuesOf(text, { JIRA_API_TOKEN: 'jira-token-0002' });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, 'connectors.jira.url');
    assert.equal(issues[0]?.line, 3);
    assert.match(issues[0]!.message, /JIRA_URL is not set/);
  });
});

describe('secrets', () => {
  it('registers secret values so every output scrubs them', () => {
    const token = 'xoxb-registered-secret-7731';
    parseConfigText('connectors:\n  slack:\n    bot_token: ${SLACK_BOT_TOKEN}\n', {
      env: { SLACK_BOT_TOKEN: token },
    });
    assert.equal(secrets.scrub(`token=${token}`), `token=${REDACTED}`);
  });

  it('registers values of secret-looking variables used in free-form options', () => {
    const hook = 'hook-secret-value-5521';
    parseConfigText('workflows:\n  x:\n    target: ${WEBHOOK_TOKEN}\n', { env: { WEBHOOK_TOKEN: hook } });
    assert.equal(secrets.scrub(hook), REDACTED);
  });

  it('never puts a secret into an error', () => {
    const password = 'hunter2-in-a-bad-url';
    try {
      parseConfigText('store:\n  database_url: ${DATABASE_URL}\n', {
        env: { DATABASE_URL: `mysql://u:${password}@h/db` },
      });
      assert.fail('a MySQL URL must be rejected');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.issues[0]?.path, 'store.database_url');
      assert.ok(!JSON.stringify({ message: err.message, issues: err.issues }).includes(password));
    }
  });

  it('redacts secret fields in the effective configuration', () => {
    const config = parseConfigText(
      'connectors:\n  jira:\n    api_token: ${T}\n    email: sec@example.com\nstore:\n  database_url: ${D}\n',
      { env: { T: 'jira-token-9931', D: 'postgres://arx:pw-4411@db/arx' } },
    ).config;
    const shown = redactSecrets(arxConfigSchema, config);
    assert.equal(shown.connectors.jira?.api_token, REDACTED);
    assert.equal(shown.store.database_url, REDACTED);
    assert.equal(shown.connectors.jira?.email, 'sec@example.com');
    assert.equal(config.connectors.jira?.api_token, 'jira-token-9931', 'the live config keeps the value');
  });

  it('warns about a secret written into the file, and about a catch-all allow rule', () => {
    const { warnings } = parseConfigText(
      'connectors:\n  jira:\n    api_token: literal-token-1234\ngovernance:\n  rules:\n    - { name: all, verdict: allow }\n',
      { env: {} },
    );
    assert.deepEqual(
      warnings.map((warning) => [warning.path, warning.line]),
      [
        ['connectors.jira.api_token', 3],
        ['governance.rules[0]', 6],
      ],
    );
  });
});

describe('parseConfig', () => {
  it('applies schema and cross-field checks to an in-memory object', () => {
    const config = parseConfig({ schedule: { workflow: 'w', cron: '0 */4 * * *' } });
    assert.deepEqual(config.schedule, [
      { workflow: 'w', cron: '0 */4 * * *', timezone: 'UTC', enabled: true },
    ]);
    assert.deepEqual(parseConfig({ schedule: [] }).schedule, [], 'no schedules is fine');
    assert.throws(() =>
      parseConfig({ governance: { rules: [{ name: 'a', verdict: 'deny', match: { operation: [] } }] } }),
    );
    assert.throws(
      () => parseConfig({ governance: { rules: [{ name: 'a', verdict: 'deny', max_risk: 5 }] } }),
      (err: unknown) => err instanceof ConfigError && err.issues[0]?.path === 'governance.rules[0].max_risk',
    );
  });
});
