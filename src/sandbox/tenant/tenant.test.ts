import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../../core/clock.js';
import { CVES } from '../data/cves.js';
import { issueNode, vulnerabilityNode } from '../wiz/nodes.js';
import { issueSource, vulnerabilitySource } from '../wiz/sources.js';
import { DemoTenant } from './tenant.js';

const make = (seed: number, findings = 500) =>
  new DemoTenant({
    seed,
    findings,
    anchor: '2026-03-01T00:00:00Z',
    clock: new TestClock('2026-03-01T06:00:00Z'),
  });

const issueAt = (tenant: DemoTenant, i: number) => issueNode(tenant, issueSource(tenant).match(i)!);
const vulnAt = (tenant: DemoTenant, i: number) =>
  vulnerabilityNode(tenant, vulnerabilitySource(tenant).match(i)!);

describe('DemoTenant', () => {
  it('is a pure function of the seed: same seed, same findings; another seed, others', () => {
    const a = make(7);
    const b = make(7);
    assert.deepEqual(issueAt(a, 123), issueAt(b, 123));
    assert.deepEqual(vulnAt(a, 45), vulnAt(b, 45));
    assert.deepEqual(a.preexistingJiraIssues(), b.preexistingJiraIssues());
    assert.notDeepEqual(issueAt(make(8), 123), issueAt(a, 123));
  });

  it('accepts 10 to 1,000,000 findings and refuses anything else', () => {
    assert.throws(() => make(1, 9), RangeError);
    assert.throws(() => make(1, 1_000_001), RangeError);
    assert.equal(make(1, 10).count('issue') + make(1, 10).count('vuln'), 10);
  });

  it('produces the millionth finding on demand without building the others', () => {
    const big = make(3, 1_000_000);
    const last = big.count('issue') - 1;
    const issue = issueAt(big, last);
    assert.equal(big.indexOf('issue', issue.id), last);
    assert.match(vulnAt(big, big.count('vuln') - 1).name, /^CVE-/);
  });

  it('uses real CVE facts: CVSS, EPSS and KEV from the derived catalog', () => {
    const tenant = make(5);
    const vuln = vulnAt(tenant, 10);
    const row = CVES.find((r) => r[0] === vuln.name)!;
    assert.equal(vuln.score, row[1]);
    assert.equal(vuln.epssProbability, row[2]);
    assert.equal(vuln.hasCisaKevExploit, true);
  });

  it('spreads accounts over AWS, Azure and GCP with owners, environments and teams', () => {
    const tenant = make(9);
    const providers = new Set(tenant.accounts().map((a) => a.provider));
    assert.deepEqual([...providers].sort(), ['AWS', 'Azure', 'GCP']);
    assert.deepEqual(
      new Set(tenant.accounts().map((a) => a.environment)),
      new Set(['prod', 'staging', 'dev']),
    );
    const owners = tenant.accountOwners();
    for (const account of tenant.accounts())
      assert.ok(tenant.teams().some((t) => t.id === owners[account.externalId]));
    for (const team of tenant.teams()) assert.equal(team.slackChannel, `#team-${team.id}`);
  });

  it('exports already-ticketed issues whose Wiz issue names the ticket', () => {
    const tenant = make(11, 2_000);
    const tickets = tenant.preexistingJiraIssues();
    assert.ok(tickets.length >= 10);
    assert.equal(new Set(tickets.map((t) => t.key)).size, tickets.length);
    for (const ticket of tickets.slice(0, 5)) {
      const index = tenant.indexOf('issue', ticket.wizIssueId)!;
      const node = issueAt(tenant, index);
      assert.equal(node.serviceTickets[0]?.externalId, ticket.key);
      assert.ok(ticket.labels.includes(`wiz-issue-${ticket.wizIssueId}`));
      assert.ok(['OPEN', 'IN_PROGRESS'].includes(node.status), 'a ticketed issue is still being worked on');
    }
  });

  it('advances deterministically: the same history gives the same statuses', () => {
    const a = make(13);
    const b = make(13);
    a.advance();
    b.advance();
    a.advance();
    b.advance();
    for (const i of [0, 17, 99, a.count('issue') - 1]) assert.deepEqual(issueAt(a, i), issueAt(b, i));
    const statuses = (t: DemoTenant) => Array.from({ length: 100 }, (_, i) => issueAt(t, i).status);
    assert.notDeepEqual(statuses(a), statuses(make(13)), 'two scans change some statuses');
  });

  it('places vulnerabilities on hosts Qualys also scans, with the same IP and hostname', () => {
    const tenant = make(17);
    const qualysHosts = Array.from({ length: tenant.hosts }, (_, h) => tenant.host(h)).filter(
      (h) => h.qualys,
    );
    assert.ok(qualysHosts.length > 0 && qualysHosts.length < tenant.hosts);
    const host = qualysHosts[0]!;
    const vuln = vulnAt(tenant, host.index);
    assert.deepEqual(vuln.vulnerableAsset.ipAddresses, [host.ip]);
    assert.equal(vuln.vulnerableAsset.hostname, host.hostname);
  });
});
