import { ArxError, isArxError } from '../../core/errors.js';
import { classifyStatus, type HttpErrorClass, scrubSnippet } from '../http/errors.js';
import type { ClassifyResponse } from '../http/http-client.js';

/**
 * Qualys' error bodies, translated once (api-contracts §5.4): `SIMPLE_RETURN/RESPONSE/{CODE,TEXT}` at any
 * status, and 409 (not 429) for calls over the rate or concurrency limit.
 */
const BAD_LOGIN: HttpErrorClass = {
  code: 'unauthorized',
  fault: 'caller',
  retryable: false,
  hint: 'check QUALYS_USERNAME and QUALYS_PASSWORD (an API-enabled user of this subscription)',
};
const LIMITED: HttpErrorClass = { code: 'rate_limited', fault: 'tool', retryable: true };

/** Qualys CODE → how Arx treats it. */
export const QUALYS_CODES: Record<string, HttpErrorClass> = {
  '1905': { code: 'invalid_request', fault: 'caller', retryable: false },
  '1960': LIMITED, // concurrency limit
  '1965': LIMITED, // rate limit
  '2000': BAD_LOGIN,
  '2002': BAD_LOGIN, // account locked or expired
  '2003': {
    code: 'missing_scope',
    fault: 'caller',
    retryable: false,
    hint: 'the Qualys user needs the API access permission and a role that sees these hosts',
  },
  '999': { code: 'tool_unavailable', fault: 'tool', retryable: true },
};

/** `<CODE>` and `<TEXT>` of a SIMPLE_RETURN, read without a full parse (the body may be cut short). */
export function simpleReturn(text: string): { code?: string; text?: string } | undefined {
  if (!text.includes('SIMPLE_RETURN')) return undefined;
  const code = /<CODE>\s*(\d+)\s*<\/CODE>/.exec(text)?.[1];
  const message = /<TEXT>\s*(?:<!\[CDATA\[)?([\s\S]*?)(?:\]\]>)?\s*<\/TEXT>/.exec(text)?.[1];
  return { ...(code ? { code } : {}), ...(message ? { text: message } : {}) };
}

export const classifyQualysResponse: ClassifyResponse = ({ status, headers, text }) => {
  const found = simpleReturn(text);
  const message = found
    ? `Qualys error ${found.code ?? '?'}: ${scrubSnippet(found.text ?? 'no text', 200)}`
    : undefined;
  // a 409 carrying rate-limit headers is a block whatever the body says; the governor honours ToWait-Sec
  if (status === 409 && classifyStatus(status, headers).code === 'rate_limited')
    return { ...LIMITED, message };
  const cls = found?.code ? QUALYS_CODES[found.code] : undefined;
  if (status >= 500) return message ? { message } : undefined;
  return cls ? { ...cls, message } : message ? { message } : undefined;
};

/** A SIMPLE_RETURN in a 200 response (the XML parser raises `qualys_error`), with its code's meaning. */
export function translateQualysError(err: unknown, endpoint: string): unknown {
  if (!isArxError(err) || err.code !== 'qualys_error') return err;
  const code = String(err.details?.qualysCode ?? '');
  const cls = QUALYS_CODES[code] ?? { code: 'tool_error', fault: 'tool' as const, retryable: false };
  return new ArxError(cls.code, `qualys ${endpoint}: ${err.message}`, {
    fault: cls.fault,
    retryable: cls.retryable,
    hint: cls.hint,
    details: { tool: 'qualys', endpoint, qualysCode: code },
  });
}

/** XML that does not parse: the body was cut short or is not Qualys XML (retryable unless it is a web page). */
export function malformedXml(endpoint: string, text: string, reason: string): ArxError {
  const html = /^\s*<!doctype html|^\s*<html/i.test(text);
  return new ArxError(
    'malformed_response',
    `qualys ${endpoint}: the response is not valid Qualys XML (${scrubSnippet(reason, 100)}): ${scrubSnippet(text, 120) || 'empty body'}`,
    {
      fault: 'tool',
      retryable: !html,
      hint: html
        ? 'the server answered with a web page; check QUALYS_URL (the API host, qualysapi.…)'
        : undefined,
      details: { tool: 'qualys', endpoint },
    },
  );
}
