import type { Vulnerability } from '../../core/finding/model.js';
import { enrichVulnerability as enrichFromIntel } from '../../core/intel/enrich.js';
import type { IntelLookup } from '../../core/intel/types.js';

/**
 * What normalisers know beyond the vendor record: threat intel (KEV/EPSS) and what the organisation says
 * about its accounts. Both are injected, so normalisers stay pure.
 */

/** Threat intel by CVE: the intel module's lookup (`loadIntel().lookup`), or any function of that shape. */
export type { IntelLookup };

/** Per-account facts from arx.yaml (`workflows.*.account_owner_map` and friends), keyed by account id. */
export interface AccountFacts {
  name?: string;
  environment?: string;
  owner?: string;
  /** 1 low … 5 crown jewel. */
  criticality?: number;
}
export type AccountMap = Record<string, AccountFacts>;

export interface NormaliseContext {
  lookup?: IntelLookup;
  accounts?: AccountMap;
  /** Used as first/last seen when a record carries no usable timestamp (e.g. the file's export time). */
  observedAt?: string;
}

/** Tag keys that name an environment, compared ignoring case. */
const ENVIRONMENT_TAG_KEYS = ['environment', 'env', 'stage', 'tier', 'app-env', 'app_env'];

/** Spellings seen in tags, folded onto the names the priority and policy use. */
const ENVIRONMENT_ALIASES: Record<string, string> = {
  prod: 'prod',
  prd: 'prod',
  production: 'prod',
  live: 'prod',
  staging: 'staging',
  stage: 'staging',
  stg: 'staging',
  preprod: 'staging',
  'pre-prod': 'staging',
  uat: 'staging',
  qa: 'test',
  test: 'test',
  testing: 'test',
  dev: 'dev',
  develop: 'dev',
  development: 'dev',
  sandbox: 'sandbox',
};

export function normaliseEnvironment(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  return ENVIRONMENT_ALIASES[v] ?? v;
}

/**
 * The environment from tags (an `env`-like key, else a bare tag that is itself an environment name, as
 * Qualys asset tags are), else from the account map.
 */
export function environmentOf(
  tags: Record<string, string>,
  account: AccountFacts | undefined,
): string | undefined {
  const entries = Object.entries(tags);
  for (const wanted of ENVIRONMENT_TAG_KEYS) {
    const hit = entries.find(([key, value]) => key.toLowerCase() === wanted && value.trim() !== '');
    if (hit) return normaliseEnvironment(hit[1]);
  }
  for (const [key, value] of entries) {
    if (value === '' && ENVIRONMENT_ALIASES[key.trim().toLowerCase()]) return normaliseEnvironment(key);
  }
  return normaliseEnvironment(account?.environment);
}

const OWNER_TAG_KEYS = ['owner', 'team', 'owner-team', 'owner_team'];

export function ownerOf(tags: Record<string, string>, account: AccountFacts | undefined): string | undefined {
  for (const wanted of OWNER_TAG_KEYS) {
    const hit = Object.entries(tags).find(
      ([key, value]) => key.toLowerCase() === wanted && value.trim() !== '',
    );
    if (hit) return hit[1].trim();
  }
  return account?.owner;
}

/**
 * Tags arrive as an object (`{"env":"prod"}`) or a list (`[{"key":"env","value":"prod"}]`), and values are
 * not always strings. Anything else yields no tags rather than a failed record.
 */
export function flattenTags(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (item && typeof item === 'object') {
        const { key, value, Key, Value, name } = item as Record<string, unknown>;
        const k = key ?? Key ?? name;
        if (typeof k === 'string' && k !== '') out[k] = scalarText(value ?? Value);
      }
    }
  } else if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) out[key] = scalarText(value);
  }
  return out;
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * KEV, EPSS and CVSS from intel, by the intel module's rules (the dated snapshot's EPSS and KEV win over a
 * scanner's copy; the scanner's CVSS is kept). Without a lookup the vulnerability is returned as it is.
 */
export function enrichVulnerability(
  vulnerability: Vulnerability,
  lookup: IntelLookup | undefined,
): Vulnerability {
  return lookup ? enrichFromIntel(vulnerability, lookup) : vulnerability;
}

/** A timestamp as ISO-8601 UTC, or undefined when it is absent, `null` or not a date. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value === 'null') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}
