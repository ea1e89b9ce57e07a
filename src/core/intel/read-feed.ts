import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ArxError, UsageError } from '../errors.js';
import { secrets } from '../secrets.js';

/**
 * I/O: reads a KEV or EPSS feed from a file or an http(s) URL, un-gzipping when the bytes are gzip (FIRST
 * publishes `epss_scores-current.csv.gz`). Parsing is elsewhere and pure.
 */

/** Official locations, shown in `arx intel update --help`. */
export const OFFICIAL_FEEDS = {
  kev: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  epss: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
} as const;

/** The whole EPSS feed is ~2 MB gzipped; two minutes allows for slow proxies without hanging forever. */
const DEFAULT_TIMEOUT_MS = 120_000;

export interface Feed {
  text: string;
  /** Where it came from, safe to record: a file path, or a URL without credentials or query string. */
  source: string;
}

export interface ReadFeedOptions {
  /** The flag the location came from (`--kev`), so errors name it. */
  flag: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function decode(bytes: Uint8Array, source: string): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch (err) {
      throw new ArxError('intel_feed_invalid', `${source}: gzip data is corrupt`, {
        fault: 'caller',
        cause: err,
      });
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

async function readUrl(url: URL, options: ReadFeedOptions): Promise<Feed> {
  const source = `${url.origin}${url.pathname}`;
  const headers: Record<string, string> = { accept: 'application/json, text/csv, application/gzip, */*' };
  // fetch refuses URLs with credentials: send them as Basic auth, and never let them reach a log or error
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    secrets.add(password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    secrets.add(headers.authorization);
    url.username = '';
    url.password = '';
  }
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      headers,
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = timedOut
      ? 'timed out'
      : `could not fetch (${cause?.code ?? cause?.message ?? (err as Error).message})`;
    throw new ArxError('intel_fetch_failed', `${options.flag} ${source}: ${why}`, {
      fault: 'tool',
      retryable: true,
      cause: err,
      hint: 'check the address and your network (HTTPS_PROXY), or download the file and pass its path',
    });
  }
  if (!response.ok) {
    throw new ArxError(
      'intel_fetch_failed',
      `${options.flag} ${source}: HTTP ${response.status} ${response.statusText}`,
      {
        fault: response.status >= 500 || response.status === 429 ? 'tool' : 'caller',
        retryable: response.status >= 500 || response.status === 429,
      },
    );
  }
  return { text: decode(new Uint8Array(await response.arrayBuffer()), source), source };
}

export async function readFeed(location: string, options: ReadFeedOptions): Promise<Feed> {
  const trimmed = location.trim();
  if (!trimmed) throw new UsageError(`${options.flag}: empty; give a file path or an https:// URL`);
  if (/^https?:\/\//i.test(trimmed)) return readUrl(new URL(trimmed), options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !/^file:\/\//i.test(trimmed)) {
    throw new UsageError(`${options.flag}: "${trimmed.split(':')[0]}:" addresses are not supported`, {
      hint: 'use a file path or an http(s):// URL',
    });
  }
  const path = resolve(/^file:\/\//i.test(trimmed) ? fileURLToPath(trimmed) : trimmed);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${options.flag}: cannot read ${path}${code === 'ENOENT' ? ': no such file' : ` (${code})`}`,
      {
        cause: err,
      },
    );
  }
  return { text: decode(bytes, path), source: path };
}
