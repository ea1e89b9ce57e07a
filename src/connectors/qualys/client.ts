import { ArxError, isArxError } from '../../core/errors.js';
import { secrets } from '../../core/secrets.js';
import { createHttpClient, type HttpClient, type QueryValue } from '../http/http-client.js';
import { RETRY_DEFAULT, RETRY_NONE, withRetry } from '../http/retry.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import type { QualysCredentials } from './credentials.js';
import { classifyQualysResponse, malformedXml, translateQualysError } from './errors.js';
import {
  type DetectionPage,
  type KnowledgeBaseEntry,
  parseDetectionPage,
  parseKnowledgeBase,
  type QualysHost,
} from './normalise-xml.js';
import { QUALYS_DEFAULT_TRUNCATION, type VulnerabilitiesReadParams } from './operations.js';

/**
 * The only HTTP code for Qualys VMDR: HTTP Basic plus the mandatory `X-Requested-With` on every call, XML
 * responses parsed here (a cut-short body is retried like any transient fault), host detection pages
 * followed through WARNING/URL, KnowledgeBase lookups by QID batch. 409 blocks with `X-RateLimit-ToWait-Sec`
 * pause the shared rate governor before the retry.
 */
export const DETECTION_PATH = '/api/2.0/fo/asset/host/vm/detection/';
export const KNOWLEDGE_BASE_PATH = '/api/2.0/fo/knowledge_base/vuln/';
/** Any string will do (api-contracts §5.1); naming the client helps the Qualys admin reading logs. */
const REQUESTED_WITH = 'Arx';

export interface QualysDetectionsPage {
  /** Hosts, each with its detections (parsed, not yet normalised). */
  items: QualysHost[];
  /** The next page's WARNING/URL; absent on the last page. */
  next?: string;
  /** The page's DATETIME (server time). */
  datetime?: string;
}

export class QualysClient {
  private readonly http: HttpClient;
  private readonly runtime: ConnectorRuntime;

  constructor(
    private readonly credentials: QualysCredentials,
    runtime: ConnectorRuntime,
  ) {
    secrets.add(credentials.password);
    this.runtime = runtime;
    const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    this.http = createHttpClient({
      tool: 'qualys',
      tenant: credentials.username,
      baseUrl: credentials.url,
      auth: (headers) => headers.set('authorization', basic),
      defaultHeaders: { 'x-requested-with': REQUESTED_WITH, accept: 'application/xml' },
      classify: classifyQualysResponse,
      clock: runtime.clock,
      log: runtime.log,
      governor: runtime.governor,
      breaker: runtime.breaker,
      stats: runtime.stats,
      // retries happen around request + parse below, so a body cut short is retried too
      retry: RETRY_NONE,
      ...(runtime.random ? { random: runtime.random } : {}),
      ...(runtime.timeoutMs ? { timeoutMs: runtime.timeoutMs } : {}),
    });
  }

  get username(): string {
    return this.credentials.username;
  }

  /** One XML call, parsed; transient failures (409 blocks, 5xx, cut-short bodies) retried per the profile. */
  private fetchXml<T>(
    endpoint: string,
    path: string,
    query: Record<string, QueryValue>,
    parse: (xml: string) => T,
    signal?: AbortSignal,
  ): Promise<T> {
    return withRetry(
      async () => {
        const { body } = await this.http.request<string>({
          method: 'GET',
          path,
          query,
          endpoint,
          parse: 'text',
          ...(signal ? { signal } : {}),
        });
        try {
          return parse(body);
        } catch (err) {
          const translated = translateQualysError(err, endpoint);
          if (translated !== err) throw translated;
          if (isArxError(err) && err.code === 'malformed_payload')
            throw malformedXml(endpoint, body, err.message);
          throw err;
        }
      },
      {
        profile: this.runtime.retry ?? RETRY_DEFAULT,
        clock: this.runtime.clock,
        ...(this.runtime.random ? { random: this.runtime.random } : {}),
        ...(signal ? { signal } : {}),
        onRetry: ({ attempt, delayMs, error }) =>
          this.runtime.log.warn(
            { tool: 'qualys', endpoint, attempt, delayMs, code: isArxError(error) ? error.code : undefined },
            'retrying qualys call',
          ),
      },
    );
  }

  /** One page of host detections: the first from the params, later ones from the previous WARNING/URL. */
  async detectionsPage(
    params: VulnerabilitiesReadParams,
    signal?: AbortSignal,
  ): Promise<QualysDetectionsPage> {
    const query = params.next_url ? nextPageQuery(params.next_url) : firstPageQuery(params);
    const page: DetectionPage = await this.fetchXml(
      'host.detection.list',
      DETECTION_PATH,
      query,
      parseDetectionPage,
      signal,
    );
    return {
      items: page.hosts,
      ...(page.nextUrl ? { next: page.nextUrl } : {}),
      ...(page.datetime ? { datetime: page.datetime } : {}),
    };
  }

  /** KnowledgeBase entries for these QIDs (one call; batch upstream). QIDs Qualys does not know are absent. */
  async knowledgeBase(qids: readonly number[], signal?: AbortSignal): Promise<KnowledgeBaseEntry[]> {
    const kb = await this.fetchXml(
      'knowledge_base.vuln.list',
      KNOWLEDGE_BASE_PATH,
      { action: 'list', ids: [...qids].sort((a, b) => a - b).join(','), details: 'Basic' },
      (xml) => parseKnowledgeBase(xml),
      signal,
    );
    return [...kb.values()];
  }

  /** The cheapest authenticated read: one host of the detection list, without results. */
  async probe(signal?: AbortSignal): Promise<{ hosts: number }> {
    const page = await this.detectionsPage({ truncation: 1 }, signal);
    return { hosts: page.items.length };
  }
}

/** Qualys dates are `YYYY-MM-DDTHH:MM:SSZ`, without milliseconds. */
export function qualysTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function firstPageQuery(params: VulnerabilitiesReadParams): Record<string, QueryValue> {
  return {
    action: 'list',
    truncation_limit: params.truncation ?? params.limit ?? QUALYS_DEFAULT_TRUNCATION,
    // RESULTS is the scanner's raw evidence, often most of the payload; the normalisers do not read it
    show_results: 0,
    severities: params.severities?.join(','),
    status: params.status?.join(','),
    vm_processed_after: params.since ? qualysTime(params.since) : undefined,
  };
}

/**
 * The WARNING/URL carries the original parameters plus `id_min`. Only its query is used, sent to the
 * configured host and the detection path: credentials never follow a URL to another host or endpoint.
 */
function nextPageQuery(nextUrl: string): Record<string, QueryValue> {
  let url: URL;
  try {
    url = new URL(nextUrl);
  } catch {
    throw badCursor(`next_url "${nextUrl.slice(0, 80)}" is not a URL`);
  }
  if (!/\/fo\/asset\/host\/vm\/detection\/?$/.test(url.pathname)) {
    throw badCursor(`next_url points at ${url.pathname}, not the host detection list`);
  }
  return Object.fromEntries(url.searchParams);
}

function badCursor(message: string): ArxError {
  return new ArxError('invalid_request', `qualys: ${message}`, {
    fault: 'caller',
    hint: 'pass the `next` value of the previous page unchanged',
  });
}
