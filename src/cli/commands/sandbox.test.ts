import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

const MAIN = new URL('../main.ts', import.meta.url).pathname;

function arx(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function firstLine(child: ReturnType<typeof arx>): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('no output');
}

describe('arx sandbox up', () => {
  it('prints {endpoints, env} as its first line and serves the tenant until SIGTERM', async () => {
    const child = arx(['sandbox', 'up', '--json', '--findings', '40', '--seed', '9']);
    try {
      const { endpoints, env } = JSON.parse(await firstLine(child)) as {
        endpoints: Record<string, string>;
        env: Record<string, string>;
      };
      assert.ok(endpoints.wiz && endpoints.qualys && endpoints.jira);
      assert.equal(
        env.WIZ_CLIENT_SECRET,
        'sandbox-wiz-client-secret',
        'sandbox credentials are printed, not redacted',
      );

      const token = await fetch(env.WIZ_AUTH_URL!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          audience: 'wiz-api',
          client_id: env.WIZ_CLIENT_ID!,
          client_secret: env.WIZ_CLIENT_SECRET!,
        }),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const issues = await fetch(env.WIZ_API_URL!, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ issuesV2(first: 100) { totalCount nodes { serviceTickets { externalId } } } }',
        }),
      });
      const body = (await issues.json()) as {
        data: {
          issuesV2: { totalCount: number; nodes: Array<{ serviceTickets: Array<{ externalId: string }> }> };
        };
      };
      assert.equal(body.data.issuesV2.totalCount, 24);
      const ticket = body.data.issuesV2.nodes.flatMap((n) => n.serviceTickets)[0]!.externalId;
      const jira = await fetch(`${env.JIRA_URL}/rest/api/3/issue/${ticket}`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${env.JIRA_USER_EMAIL}:${env.JIRA_API_TOKEN}`).toString('base64')}`,
        },
      });
      assert.equal(jira.status, 200, 'the ticket Wiz names exists in the Jira emulator');

      const advance = arx(['sandbox', 'advance', '--url', endpoints.wiz!, '--json']);
      let printed = '';
      advance.stdout!.on('data', (chunk) => {
        printed += chunk;
      });
      const [code] = await once(advance, 'exit');
      assert.equal(code, 0);
      assert.equal((JSON.parse(printed) as { scan: number }).scan, 1);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, 'stops cleanly on SIGTERM');
  });

  it('prints paste-able export lines without --json', async () => {
    const child = arx(['sandbox', 'up', '--findings', '10']);
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout! });
    for await (const line of reader) {
      lines.push(line);
      if (line.includes('Stop with Ctrl-C')) break;
    }
    child.kill('SIGINT');
    await once(child, 'exit');
    assert.ok(lines.some((l) => /^export WIZ_API_URL='http:\/\/127\.0\.0\.1:\d+\/graphql'$/.test(l)));
    assert.ok(
      lines.every((l) => l.startsWith('export ') || l.startsWith('#')),
      'every line is valid shell',
    );
  });

  it('refuses a bad --findings with exit code 2 and a message naming the flag', async () => {
    const child = arx(['sandbox', 'up', '--findings', '2000000']);
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /--findings/);
  });
});
