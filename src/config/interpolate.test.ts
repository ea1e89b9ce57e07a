// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are arx.yaml text with ${VAR} references
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { interpolate, interpolateDocument } from './interpolate.js';

describe('interpolate', () => {
  it('replaces set variables and keeps surrounding text', () => {
    const result = interpolate('https://${HOST}:${PORT}/api', { HOST: 'jira.example.com', PORT: '8443' });
    assert.deepEqual(result, {
      ok: true,
      value: 'https://jira.example.com:8443/api',
      references: ['HOST', 'PORT'],
      whole: false,
    });
  });

  it('uses the default when the variable is unset or empty', () => {
    const unset = interpolate('${MISSING:-fallback}', {});
    assert.ok(unset.ok);
    assert.equal(unset.value, 'fallback');
    const empty = interpolate('${EMPTY:-fallback}', { EMPTY: '' });
    assert.ok(empty.ok);
    assert.equal(empty.value, 'fallback');
  });

  it('keeps an explicitly empty variable when no default is given', () => {
    const result = interpolate('${EMPTY}', { EMPTY: '' });
    assert.ok(result.ok);
    assert.equal(result.value, '');
  });

  it('reports an unset variable by name with the way to fix it', () => {
    const result = interpolate('${JIRA_API_TOKEN}', {});
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.match(result.problem, /JIRA_API_TOKEN is not set/);
    assert.match(result.allowed, /\$\{JIRA_API_TOKEN:-/);
  });

  it('writes a literal ${ for $${ and rejects malformed or unterminated references', () => {
    const escaped = interpolate('cost: $${NOT_A_VAR}', {});
    assert.ok(escaped.ok);
    assert.equal(escaped.value, 'cost: ${NOT_A_VAR}');
    assert.equal(interpolate('${1BAD}', {}).ok, false);
    assert.equal(interpolate('${}', {}).ok, false);
    assert.equal(interpolate('prefix ${OPEN', { OPEN: 'x' }).ok, false);
  });
});

describe('interpolateDocument', () => {
  it('types a plain whole reference, keeps quoted ones strings, and turns empty into "not set"', () => {
    const doc = parseDocument('a: ${FLAG}\nb: "${FLAG}"\nc: ${N}\nd: ${UNSET:-}\ne: [x, "${N}"]\n');
    const result = interpolateDocument(doc.contents, { FLAG: 'false', N: '42' });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(doc.toJS(), { a: false, b: 'false', c: 42, d: null, e: ['x', '42'] });
    assert.deepEqual(
      result.references.map((reference) => reference.path),
      [['a'], ['b'], ['c'], ['d'], ['e', 1]],
    );
  });

  it('reports every unset variable with its path, and never touches keys', () => {
    const doc = parseDocument(
      '${KEY}: 1\nconnectors:\n  jira:\n    url: ${JIRA_URL}\n    api_token: ${JIRA_API_TOKEN}\n',
    );
    const result = interpolateDocument(doc.contents, {});
    assert.deepEqual(
      result.problems.map((problem) => [problem.path.join('.'), problem.message]),
      [
        ['connectors.jira.url', 'environment variable JIRA_URL is not set'],
        ['connectors.jira.api_token', 'environment variable JIRA_API_TOKEN is not set'],
      ],
    );
  });
});
