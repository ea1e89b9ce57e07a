import { ArxError, type Fault } from '../../core/errors.js';
import { REDACTED, secrets } from '../../core/secrets.js';

/**
 * HTTP outcomes translated once into ArxError. Each connector's own `errors.ts` may refine a response first
 * (Jira `errorMessages`, Slack `ok:false`, Qualys `SIMPLE_RETURN`) through the client's `classify` hook; what
 * it does not claim lands here. Errors carry a short, scrubbed snippet of the body and never a request header.
 */
export interface HttpErrorClass {
  code: string;
  fault: Fault;
  retryable: boolean;
  hint?: string;
}

/** Status → meaning, as data. Anything not listed falls back by class (4xx caller, 5xx tool). */
export const HTTP_STATUS_CLASSES: Record<number, HttpErrorClass> = {
  400: { code: 'invalid_request', fault: 'caller', retryable: false },
  401: {
    code: 'unauthorized',
    fault: 'caller',
    retryable: false,
    hint: 'check the credentials configured for this connector (wrong or expired secret)',
  },
  403: {
    code: 'forbidden',
    fault: 'caller',
    retryable: false,
    hint: 'the credential lacks a permission or scope this call needs',
  },
  404: { code: 'not_found', fault: 'caller', retryable: false, hint: 'check the base URL and the id' },
  408: { code: 'timeout', fault: 'tool', retryable: true },
  409: { code: 'conflict', fault: 'caller', retryable: false },
  413: { code: 'payload_too_large', fault: 'caller', retryable: false },
  422: { code: 'invalid_request', fault: 'caller', retryable: false },
  429: { code: 'rate_limited', fault: 'tool', retryable: true },
  501: { code: 'not_implemented', fault: 'tool', retryable: false },
  505: { code: 'http_version_not_supported', fault: 'tool', retryable: false },
};

const SERVER_ERROR: HttpErrorClass = { code: 'tool_unavailable', fault: 'tool', retryable: true };
const CLIENT_ERROR: HttpErrorClass = { code: 'request_rejected', fault: 'caller', retryable: false };

/**
 * Qualys blocks over-limit calls with 409 rather than 429 (api-contracts §5.4), recognisable by its
 * rate-limit headers; any other 409 is a real conflict.
 */
export function classifyStatus(status: number, headers: Pick<Headers, 'get'>): HttpErrorClass {
  if (status === 409 && isQualysBlock(headers)) return HTTP_STATUS_CLASSES[429]!;
  return HTTP_STATUS_CLASSES[status] ?? (status >= 500 ? SERVER_ERROR : CLIENT_ERROR);
}

function isQualysBlock(headers: Pick<Headers, 'get'>): boolean {
  const wait = Number(headers.get('x-ratelimit-towait-sec') ?? '0');
  const running = Number(headers.get('x-concurrency-limit-running') ?? 'NaN');
  const limit = Number(headers.get('x-concurrency-limit-limit') ?? 'NaN');
  return wait > 0 || running > limit || headers.get('x-ratelimit-remaining') === '0';
}

/** How much of a response body an error keeps: enough to explain, too little to carry a payload. */
export const SNIPPET_LENGTH = 300;

/** Strings that look like credentials even when nobody registered them (echoed auth headers, tokens). */
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic|Token token=)\s*[A-Za-z0-9._~+/=-]{6,}/gi,
  /("?(?:access_token|refresh_token|client_secret|password|api_key|apikey|token|routing_key)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
  /\bxox[abpr]-[A-Za-z0-9-]+/g, // Slack tokens
];

/** A body excerpt safe to keep in an error, a log line or the audit trail. */
export function scrubSnippet(body: string, length = SNIPPET_LENGTH): string {
  let text = secrets.scrub(body);
  for (const pattern of CREDENTIAL_PATTERNS) {
    text = text.replace(pattern, (match, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) && prefix.length < match.length
        ? `${prefix}${REDACTED}`
        : REDACTED,
    );
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

export interface CallSite {
  tool: string;
  endpoint: string;
  method: string;
  /** Path only: query strings can carry tokens (Slack) and are left out. */
  path: string;
}

export function httpStatusError(
  site: CallSite,
  status: number,
  headers: Pick<Headers, 'get'>,
  body: string,
  override?: Partial<HttpErrorClass> & { message?: string },
  retryAfterMs?: number,
): ArxError {
  const cls = { ...classifyStatus(status, headers), ...override };
  const snippet = scrubSnippet(body);
  const what = override?.message ?? (snippet || 'no body');
  return new ArxError(cls.code, `${site.tool} ${site.method} ${site.endpoint}: HTTP ${status}: ${what}`, {
    fault: cls.fault,
    retryable: cls.retryable,
    hint: cls.hint,
    details: { ...site, status, snippet, ...(retryAfterMs ? { retryAfterMs } : {}) },
  });
}

export function timeoutError(site: CallSite, timeoutMs: number): ArxError {
  return new ArxError(
    'timeout',
    `${site.tool} ${site.method} ${site.endpoint}: no response within ${timeoutMs} ms`,
    {
      fault: 'tool',
      retryable: true,
      details: { ...site, timeoutMs },
    },
  );
}

/** fetch rejects with a TypeError whose `cause` holds the system error (ECONNREFUSED, ENOTFOUND, ...). */
export function networkError(site: CallSite, err: unknown): ArxError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? 'network';
  const hint =
    code === 'ENOTFOUND' || code === 'ECONNREFUSED'
      ? `check the ${site.tool} base URL: nothing answers there`
      : undefined;
  return new ArxError(
    'network_error',
    `${site.tool} ${site.method} ${site.endpoint}: ${code}: ${secrets.scrub(cause?.message ?? String(err))}`,
    { fault: 'tool', retryable: true, hint, details: { ...site, networkCode: code } },
  );
}

export function malformedBodyError(
  site: CallSite,
  status: number,
  contentType: string,
  body: string,
  reason: string,
): ArxError {
  // A truncated JSON body is a transient fault; an HTML page where JSON was expected is a wrong URL.
  const looksLikeHtml = /html/i.test(contentType) || /^\s*</.test(body);
  return new ArxError(
    'malformed_response',
    `${site.tool} ${site.method} ${site.endpoint}: HTTP ${status} body is not valid JSON (${scrubSnippet(reason, 80)}): ${scrubSnippet(body, 120) || 'empty body'}`,
    {
      fault: 'tool',
      retryable: !looksLikeHtml,
      hint: looksLikeHtml
        ? `the server answered with a web page; check the ${site.tool} base URL`
        : undefined,
      details: { ...site, status, contentType, snippet: scrubSnippet(body) },
    },
  );
}

export function circuitOpenError(site: Pick<CallSite, 'tool' | 'endpoint'>, retryInMs: number): ArxError {
  return new ArxError(
    'circuit_open',
    `${site.tool} ${site.endpoint}: failing fast after repeated failures; next probe in ${Math.ceil(retryInMs / 1000)} s`,
    { fault: 'tool', retryable: true, details: { ...site, retryInMs } },
  );
}
