// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are arx.yaml text with ${VAR} references
/**
 * `arx validate` and `arx config show` as a user runs them: a real process, real files, exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const SECRET = 'xoxb-cli-secret-do-not-print-4242';

function arx(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(tsx, [join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'arx-validate-')), name);
  writeFileSync(path, text);
  return path;
}

const broken = file(
  'arx.yaml',
  [
    'connectors:',
    '  slack:',
    '    bot_token: ${SLACK_BOT_TOKEN}',
    '    default_chanel: "#sec"', //              4  typo
    'governance:',
    '  rules:',
    '    - name: a',
    '      verdict: permit', //                   8  not a verdict
    '      match: { operation: "jira:issues:create" }',
    '    - name: b',
    '      verdict: allow',
    '      match: { operation: "slack:chat:write" }',
    '      prority: 5', //                        13 typo
    'schedule:',
    '  - workflow: wiz-finding-distribution',
    '    cron: "every 4 hours"', //               16 not cron
  ].join('\n'),
);

describe('arx validate', () => {
  it('names each bad path with its line, says what was meant, and exits 2 without a stack trace', () => {
    const { code, stderr, stdout } = arx(['validate', '--config', broken], { SLACK_BOT_TOKEN: SECRET });
    assert.equal(code, 2);
    assert.match(stderr, /4 problems/);
    assert.match(stderr, /arx\.yaml:4:5 connectors\.slack\.default_chanel: unknown key/);
    assert.match(stderr, /did you mean "default_channel"\?/);
    assert.match(stderr, /arx\.yaml:8:16 governance\.rules\[0\]\.verdict: "permit" is not allowed here/);
    assert.match(stderr, /allowed: "allow" \| "escalate" \| "deny"/);
    assert.match(stderr, /arx\.yaml:13:7 governance\.rules\[1\]\.prority: unknown key/);
    assert.match(stderr, /did you mean "priority"\?/);
    assert.match(stderr, /arx\.yaml:16:11 schedule\[0\]\.cron: not a valid cron expression/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!`${stdout}${stderr}`.includes(SECRET));
  });

  it('prints { ok, file, issues } with --json', () => {
    const { code, stdout } = arx(['--json', 'validate', '--config', broken], { SLACK_BOT_TOKEN: SECRET });
    assert.equal(code, 2);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      file: string;
      issues: Array<{ path: string; line: number }>;
    };
    assert.equal(report.ok, false);
    assert.equal(report.file, broken);
    assert.deepEqual(
      report.issues.map((issue) => [issue.path, issue.line]),
      [
        ['connectors.slack.default_chanel', 4],
        ['governance.rules[0].verdict', 8],
        ['governance.rules[1].prority', 13],
        ['schedule[0].cron', 16],
      ],
    );
  });

  it('names the unset variable when the environment lacks it', () => {
    const { code, stderr } = arx(['validate', '--config', broken]);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /arx\.yaml:3:16 connectors\.slack\.bot_token: environment variable SLACK_BOT_TOKEN is not set/,
    );
  });

  it('accepts the shipped example and summarises it', () => {
    const { code, stdout } = arx(['validate', '--config', 'examples/arx.yaml']);
    assert.equal(code, 0);
    assert.match(stdout, /✔ examples\/arx\.yaml is valid/);
    assert.match(stdout, /schedules: wiz-finding-distribution "0 \*\/4 \* \* \*" UTC/);
    assert.match(stdout, /rules: 6 \(3 allow, 2 escalate, 1 deny\)/);
  });
});

describe('arx config show', () => {
  it('prints the effective configuration with secrets redacted', () => {
    const config = file('arx.yaml', 'connectors:\n  slack:\n    bot_token: ${SLACK_BOT_TOKEN}\n');
    const text = arx(['config', 'show', '--config', config], { SLACK_BOT_TOKEN: SECRET });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /bot_token: "\[REDACTED\]"/);
    assert.match(text.stdout, /risk_threshold: 70/);
    const json = arx(['--json', 'config', 'show', '--config', config], { SLACK_BOT_TOKEN: SECRET });
    assert.equal(json.code, 0);
    const shown = JSON.parse(json.stdout) as { config: { connectors: { slack: { bot_token: string } } } };
    assert.equal(shown.config.connectors.slack.bot_token, '[REDACTED]');
    assert.ok(!`${text.stdout}${text.stderr}${json.stdout}${json.stderr}`.includes(SECRET));
  });
});
