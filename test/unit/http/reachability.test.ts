import Bottleneck from 'bottleneck';
import { describe, expect, it } from 'vitest';
import { clipMessage } from '../../../src/clip.ts';
import { createCallPolicy } from '../../../src/http/call-policy.ts';
import { networkCodeOf, type HttpFailureInfo } from '../../../src/http/classify.ts';
import { classifyHttpDefault, createReachability, hostOf } from '../../../src/http/classify-default.ts';
import { silentLogger } from '../../../src/logger.ts';

/** What fetch throws for a refused connection: TypeError('fetch failed') with the socket error as cause. */
function socketError(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code }) });
}

function policyWith(reach: ReturnType<typeof createReachability>) {
  const waits: number[] = [];
  const policy = createCallPolicy({
    system: 'crm',
    limiter: new Bottleneck(),
    classify: reach.classify,
    toFailure: (error): HttpFailureInfo => {
      const networkCode = networkCodeOf(error);
      return { headers: {}, ...(networkCode ? { networkCode } : {}), message: 'fetch failed' };
    },
    log: silentLogger(),
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { policy, waits };
}

const reachability = () =>
  createReachability({
    classify: (failure) => classifyHttpDefault(failure, { system: 'crm', label: 'The CRM' }),
    host: 'crm.example.com',
    system: 'crm',
    label: 'The CRM',
  });

describe('an unreachable host fails its first call at once', () => {
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']) {
    it(`${code} before any answer: one attempt, no wait, a system failure naming the host`, async () => {
      const { policy, waits } = policyWith(reachability());
      let attempts = 0;
      const call = policy.run('owners.read', () => {
        attempts += 1;
        return Promise.reject(socketError(code));
      });
      await expect(call).rejects.toMatchObject({ kind: 'system', code: 'crm_unreachable' });
      await expect(call).rejects.toThrow(/cannot reach The CRM: .*crm\.example\.com/);
      expect(attempts).toBe(1);
      expect(waits).toEqual([]);
    });
  }

  it('once the host has answered, a refused connection is retried with backoff as before', async () => {
    const reach = reachability();
    const { policy, waits } = policyWith(reach);
    reach.answered();
    let attempts = 0;
    const result = await policy.run('companies.read', () => {
      attempts += 1;
      return attempts < 3 ? Promise.reject(socketError('ECONNREFUSED')) : Promise.resolve('ok');
    });
    expect(result).toBe('ok');
    expect(attempts).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('a response with any status counts as an answer', () => {
    const reach = reachability();
    reach.classify({ status: 503, headers: {} });
    expect(reach.classify({ headers: {}, networkCode: 'ECONNREFUSED' }).action).toBe('retry');
  });

  it('a reset of an established connection keeps the backoff even before the first answer', () => {
    expect(reachability().classify({ headers: {}, networkCode: 'ECONNRESET' }).action).toBe('retry');
  });

  it('names the host without credentials, path or query', () => {
    expect(hostOf('https://user:pw@acme.my.salesforce.com/services?x=1')).toBe('acme.my.salesforce.com');
    expect(hostOf('http://127.0.0.1:4010')).toBe('127.0.0.1:4010');
  });
});

describe('clipMessage', () => {
  it('keeps a short message as it is, on one line', () => {
    expect(clipMessage('Property values were not valid:\n  dealstage')).toBe(
      'Property values were not valid: dealstage',
    );
  });

  it('cuts a long one to 300 characters at a word, with an ellipsis', () => {
    const long = `start ${'word '.repeat(200)}end`;
    const clipped = clipMessage(long);
    expect(clipped.length).toBeLessThanOrEqual(300);
    expect(clipped.endsWith('word…')).toBe(true);
  });
});
