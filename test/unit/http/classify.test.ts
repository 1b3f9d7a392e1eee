import { describe, expect, it } from 'vitest';
import { classifyHttpDefault } from '../../../src/http/classify-default.ts';
import { header, messageChain, networkCodeOf, retryAfterMs, type HttpFailureInfo } from '../../../src/http/classify.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

describe('retryAfterMs', () => {
  it.each([
    [{ 'retry-after': '7' }, 7_000],
    [{ 'Retry-After': '0' }, 0],
    [{ 'retry-after': 'Fri, 20 Nov 2026 12:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Fri, 20 Nov 2026 11:00:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMs(headers, NOW)).toBe(expected);
  });
});

describe('header', () => {
  it('finds a header whatever its case', () => {
    expect(header({ 'X-HubSpot-RateLimit-Remaining': '3' }, 'x-hubspot-ratelimit-remaining')).toBe('3');
  });
});

describe('networkCodeOf and messageChain', () => {
  const reset = new TypeError('fetch failed', {
    cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  });

  it('finds the socket code on the fetch error cause', () => {
    expect(networkCodeOf(reset)).toBe('ECONNRESET');
    expect(messageChain(reset)).toBe('fetch failed: socket hang up');
  });

  it('treats a bare "fetch failed" or a timeout as a network error', () => {
    expect(networkCodeOf(new TypeError('fetch failed'))).toBe('NETWORK_ERROR');
    expect(networkCodeOf(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('ETIMEDOUT');
  });

  it('finds nothing on an ordinary error', () => {
    expect(networkCodeOf(new Error('Cannot parse content. No Content-Type defined.'))).toBeUndefined();
  });
});

describe('classifyHttpDefault', () => {
  const at = (failure: Partial<HttpFailureInfo>) =>
    classifyHttpDefault({ headers: {}, ...failure }, { system: 'crm', label: 'The CRM', now: NOW });

  it.each([
    [{ status: 503 }, 'retry', 'transient', 'crm_server_error'],
    [{ status: 408 }, 'retry', 'transient', 'crm_timeout'],
    [{ status: 429 }, 'retry', 'rate_limited', 'crm_rate_limited'],
    [{ status: 401 }, 'fail', 'auth', 'crm_unauthorized'],
    [{ status: 403 }, 'fail', 'auth', 'crm_forbidden'],
    [{ status: 404 }, 'fail', 'data', 'crm_not_found'],
    [{ status: 409 }, 'fail', 'data', 'crm_conflict'],
    [{ status: 400 }, 'fail', 'data', 'crm_bad_request'],
    [{ status: 422 }, 'fail', 'data', 'crm_request_rejected'],
    [{ status: 200 }, 'fail', 'system', 'crm_unexpected_status'],
    [{ networkCode: 'ECONNRESET' }, 'retry', 'transient', 'crm_network_error'],
    [{ networkCode: 'ENOTFOUND' }, 'fail', 'config', 'crm_unreachable'],
    [{ networkCode: 'CERT_HAS_EXPIRED' }, 'fail', 'system', 'crm_connection_failed'],
    [{}, 'fail', 'system', 'crm_unexpected_error'],
  ] as const)('%j -> %s %s %s', (failure, action, kind, code) => {
    expect(at(failure)).toMatchObject({ action, kind, code });
  });

  it('waits for Retry-After on 429 and 503', () => {
    expect(at({ status: 429, headers: { 'retry-after': '12' } }).waitMs).toBe(12_000);
    expect(at({ status: 503, headers: { 'retry-after': '3' } }).waitMs).toBe(3_000);
    expect(at({ status: 503 }).waitMs).toBeUndefined();
  });

  it("carries the API's message in the reason", () => {
    expect(at({ status: 400, message: 'name is required' }).reason).toBe(
      'The CRM rejected the request: name is required',
    );
  });
});
