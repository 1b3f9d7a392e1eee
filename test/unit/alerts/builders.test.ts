import { describe, expect, it } from 'vitest';
import {
  alertText,
  clip,
  failedRecordsAlert,
  opportunityAlert,
  renderSlack,
  renderWebhook,
  runFailedAlert,
  safeJson,
  schemaDriftAlert,
  weeklyDigestAlert,
  type Alert,
  type SlackBlock,
} from '../../../src/alerts/index.ts';
import { assessment, report, RISK_SIGNAL, seatOpportunity, stored } from './fixtures.ts';

const HOSTILE = '<script>alert(1)</script> & <!channel> <@U123> <https://evil.example|click>';

function oppAlert(name = 'Acme Analytics', currency = 'USD', ownerName?: string): Alert {
  const a = assessment();
  return opportunityAlert({
    account: { id: '101', name, ownerId: '77', ...(ownerName ? { ownerName } : {}), arr: 48_000 },
    assessment: a,
    opportunity: a.opportunities[0]!,
    currency,
  });
}

/** Every mrkdwn and plain text in a Slack payload, with the fallback. */
function slackTexts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'divider') return [];
    if (b.type === 'context') return b.elements.map((e) => e.text);
    if (b.type === 'header') return [b.text.text];
    return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
  });
}

describe('opportunity alert (seed 004 "Expansion Opportunity Alert")', () => {
  it('carries the headline facts, score, why now, signals to discuss, approach and context from the data', () => {
    const alert = oppAlert();
    expect(alert).toMatchObject({
      kind: 'opportunity',
      title: '💰 EXPANSION OPPORTUNITY DETECTED',
      ownerId: '77',
      key: '101|seat_add|',
    });
    expect(alert.fields).toEqual([
      { label: 'Account', value: 'Acme Analytics' },
      { label: 'Current ARR', value: '$48,000' },
      { label: 'Potential Expansion', value: '$6,600 ($600–$15,000): Seat expansion' },
      { label: 'Owner', value: '77' },
      { label: 'Opportunity Score', value: '7.1/10 ⭐' },
      { label: 'Timing', value: '🟢 Now' },
      { label: 'Priority', value: 'P1 (#1 in the portfolio)' },
      { label: 'Expected Value', value: '$4,818 at 73% probability' },
    ]);
    const text = alertText(alert);
    const order = [
      '💰 EXPANSION OPPORTUNITY DETECTED',
      '⏰ Why Now',
      '📊 Signals Detected',
      '💡 Recommended Approach: Seat expansion',
      'Suggested Opening:',
      'Key Questions to Ask:',
      '📈 Account Context',
      'Signal detected: 2026-11-20',
    ];
    const positions = order.map((heading) => text.indexOf(heading));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Now: the team is short of seats and health is green.');
    expect(text).toContain('Seat utilization (95% strength): 96% of 100 licensed seats in use');
    expect(text).toContain('Usage growth (60% strength): Active users grew 13%');
    expect(text).toContain('Add 11 seats ahead of demand');
    expect(text).toContain("“Your team has been at 96% seat utilization for 12 weeks — here's what we're seeing.”");
    expect(text).toContain('Readiness Score: 71/100');
    expect(alert.data).toMatchObject({
      accountId: '101',
      motion: 'seat_add',
      arrPotential: 6600,
      expectedValue: 4818,
      probability: 0.73,
      score: 71,
      priority: { tier: 'P1', rank: 1 },
    });
  });

  it('words the approach by motion: tier upgrade names the target plan, cross-sell the module', () => {
    const tier = assessment({
      opportunities: [
        seatOpportunity({ motion: 'tier_upgrade', targetPlan: 'enterprise', signalIds: ['usage_growth'] }),
      ],
    });
    const tierText = alertText(
      opportunityAlert({
        account: { id: '1', name: 'T' },
        assessment: tier,
        opportunity: tier.opportunities[0]!,
        currency: 'USD',
      }),
    );
    expect(tierText).toContain('💡 Recommended Approach: Tier upgrade');
    expect(tierText).toContain('Which enterprise capabilities would the team use first?');
    expect(tierText).toContain('Owner: unassigned');
    const cross = assessment({
      opportunities: [seatOpportunity({ motion: 'module_cross_sell', module: 'reporting' })],
    });
    const crossAlert = opportunityAlert({
      account: { id: '1', name: 'C' },
      assessment: cross,
      opportunity: cross.opportunities[0]!,
      currency: 'USD',
    });
    expect(crossAlert.key).toBe('1|module_cross_sell|reporting');
    expect(alertText(crossAlert)).toContain('How is the team handling reporting work today?');
  });

  it('names the owner when the CRM gave a name, in Slack and in the webhook text, and keeps the id only for routing', () => {
    const alert = oppAlert('Acme Analytics', 'USD', 'Dana Whitfield');
    expect(alert.fields).toContainEqual({ label: 'Owner', value: 'Dana Whitfield' });
    expect(slackTexts(renderSlack(alert).blocks).join('\n')).toContain('*Owner*\nDana Whitfield');
    expect(renderWebhook(alert).text).toContain('Owner: Dana Whitfield');
    expect(alert.ownerId).toBe('77');
  });

  it('shows every amount in the configured currency: EUR as €, never $', () => {
    const alert = oppAlert('Acme Analytics', 'EUR');
    expect(alert.fields).toContainEqual({ label: 'Current ARR', value: '€48,000' });
    expect(alert.fields).toContainEqual({
      label: 'Potential Expansion',
      value: '€6,600 (€600–€15,000): Seat expansion',
    });
    expect(alert.fields).toContainEqual({ label: 'Expected Value', value: '€4,818 at 73% probability' });
    expect(renderSlack(alert).text).toBe(
      'New P1 expansion opportunity: Acme Analytics: Seat expansion, €6,600 potential ARR',
    );
    expect(alertText(alert)).not.toContain('$');
  });

  it('renders as Block Kit: a header, the facts as fields, a divider, sections and the footer as context', () => {
    const payload = renderSlack(oppAlert());
    expect(payload.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'divider',
      'section',
      'section',
      'section',
      'section',
      'section',
      'section',
      'context',
    ]);
    const fields = payload.blocks[1];
    expect(fields?.type === 'section' && fields.fields?.[0]).toEqual({
      type: 'mrkdwn',
      text: '*Account*\nAcme Analytics',
      verbatim: true,
    });
    expect(payload.text).toBe('New P1 expansion opportunity: Acme Analytics: Seat expansion, $6,600 potential ARR');
    expect(slackTexts(payload.blocks).join('\n')).toContain(
      '*📊 Signals Detected*\n*Seat utilization (95% strength)*\n96% of 100 licensed seats in use',
    );
  });
});

describe('escaping hostile account names', () => {
  it('Slack: &, < and > become entities everywhere, so no tag, link or mention survives', () => {
    const payload = renderSlack(oppAlert(HOSTILE));
    const texts = [payload.text, ...slackTexts(payload.blocks)];
    for (const text of texts) {
      expect(text).not.toMatch(/[<>]/);
      expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
    expect(texts.join('\n')).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;',
    );
  });

  it('Slack: a name with * cannot break the bold around it, and nothing auto-links', () => {
    const digest = weeklyDigestAlert(
      [stored({ accountId: '1', accountName: '*NSYNC* & co', assessment: assessment() })],
      { weekOf: '2026-11-30', currency: 'USD' },
    );
    const texts = slackTexts(renderSlack(digest).blocks).join('\n');
    expect(texts).toContain('*1. ∗NSYNC∗ &amp; co*');
    for (const block of renderSlack(digest).blocks)
      if (block.type === 'section' && block.text) expect(block.text.verbatim).toBe(true);
  });

  it('Slack: long customer text is cut to Block Kit limits without splitting an entity', () => {
    expect(clip('ab &amp; cd', 5)).toBe('ab …');
    expect(clip('ab &amp; cd', 9)).toBe('ab &amp;…');
    const payload = renderSlack(oppAlert('&'.repeat(5000)));
    for (const block of payload.blocks) {
      if (block.type !== 'section') continue;
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      for (const field of block.fields ?? []) {
        expect(field.text.length).toBeLessThanOrEqual(2000);
        expect(field.text).toMatch(/(&amp;|[^&])…?$/);
      }
    }
  });

  it('webhook JSON: the name round-trips exactly, with <, > and & sent as \\u escapes', () => {
    const body = safeJson(renderWebhook(oppAlert(HOSTILE)));
    expect(body).not.toMatch(/[<>&]/);
    const parsed = JSON.parse(body) as { data: { accountName: string }; text: string; kind: string };
    expect(parsed.kind).toBe('opportunity');
    expect(parsed.data.accountName).toBe(HOSTILE);
    expect(parsed.text).toContain(`Account: ${HOSTILE}`);
  });
});

describe('weekly digest (seed 004 "Weekly Expansion Pipeline")', () => {
  const rows = [
    stored({ accountId: '1', accountName: 'Acme', ownerId: '77', ownerName: 'Dana', assessment: assessment() }),
    stored({
      accountId: '2',
      accountName: 'Beta',
      ownerId: '88',
      assessment: assessment({
        accountId: '2',
        opportunities: [
          seatOpportunity({
            motion: 'tier_upgrade',
            targetPlan: 'enterprise',
            arrPotential: 12_000,
            expectedValue: 6_000,
            priority: { score: 6000, rank: 2, tier: 'P2', queued: true },
          }),
        ],
      }),
    }),
    stored({
      accountId: '3',
      accountName: 'Gamma',
      assessment: assessment({
        accountId: '3',
        health: 'red',
        timing: 'hold',
        signals: [RISK_SIGNAL],
        opportunities: [],
      }),
    }),
    { ...stored({ accountId: '4', accountName: 'Old', assessment: assessment() }), assessment: { format: 'v0' } },
  ];

  it('totals by motion and tier, lists the hottest by rank, the owners, and the red accounts to stabilize', () => {
    const alert = weeklyDigestAlert(rows, { weekOf: '2026-11-30', currency: 'USD' });
    expect(alert.title).toBe('📊 WEEKLY EXPANSION PIPELINE');
    expect(alert.data).toMatchObject({
      accounts: 3,
      opportunities: 2,
      expectedValue: 10_818,
      arrPotential: 18_600,
      byMotion: { seat_add: 1, tier_upgrade: 1, module_cross_sell: 0 },
      byTier: { P1: 1, P2: 1, P3: 0 },
      skipped: 1,
      stabilize: [{ accountId: '3', accountName: 'Gamma' }],
    });
    const text = alertText(alert);
    expect(text).toContain('🎯 Open opportunities: 2 | $10,818 expected ($18,600 potential ARR)');
    expect(text).toContain('Seat expansion: 1 | $4,818');
    expect(text).toContain('P2: 1 | $6,000 (1 queued)');
    expect(text).toContain('🔥 Hottest Opportunities (Top 2)');
    expect(text.indexOf('1. Acme')).toBeLessThan(text.indexOf('2. Beta'));
    expect(text).toContain('Potential: $6,600 | Score: 7.1/10');
    expect(text).toContain('Owner: Dana | Status: P1, 🟢 Now');
    expect(text).toContain('Dana: 1 opportunity | $4,818 pipeline');
    expect(text).toContain('🛟 Accounts to Stabilize (red)\nGamma: 3 support escalations open');
    expect(text).toContain('88: 1 opportunity | $6,000 pipeline');
    expect(text).not.toMatch(/\b77\b/);
    expect(alert.footer).toMatch(/1 stored assessment in an older format skipped/);
  });

  it('amounts in the configured currency (EUR)', () => {
    const text = alertText(weeklyDigestAlert(rows, { weekOf: '2026-11-30', currency: 'EUR' }));
    expect(text).toContain('🎯 Open opportunities: 2 | €10,818 expected (€18,600 potential ARR)');
    expect(text).toContain('Dana: 1 opportunity | €4,818 pipeline');
    expect(text).not.toContain('$');
  });

  it('shows withheld opportunities with why, apart from the pitched figures, never among the hottest or on the leaderboard', () => {
    const renewal = seatOpportunity({
      withheld: 'renewal_evaluation',
      arrPotential: 40_000,
      expectedValue: 20_000,
      priority: undefined,
    });
    const watch = seatOpportunity({
      motion: 'module_cross_sell',
      module: 'reporting',
      withheld: 'watch',
      arrPotential: 5_000,
      expectedValue: 1_000,
      priority: undefined,
    });
    const withHeld = [
      ...rows,
      stored({
        accountId: '5',
        accountName: 'Renewing Co',
        ownerId: '99',
        ownerName: 'Sam Ortiz',
        assessment: assessment({ accountId: '5', timing: 'hold', opportunities: [renewal, watch] }),
      }),
    ];
    const alert = weeklyDigestAlert(withHeld, { weekOf: '2026-11-30', currency: 'USD' });
    const text = alertText(alert);
    expect(alert.data).toMatchObject({
      opportunities: 2,
      expectedValue: 10_818,
      arrPotential: 18_600,
      withheld: { count: 2, arrPotential: 45_000, byReason: { renewal_evaluation: 1, watch: 1 } },
    });
    expect(text).toContain('🎯 Open opportunities: 2 | $10,818 expected ($18,600 potential ARR)');
    expect(text).toContain('⏸️ Withheld, not pitched: 2 | $45,000 potential ARR');
    expect(text).toContain(
      'Renewing Co: Seat expansion: $40,000 potential ARR | Owner: Sam Ortiz | Status: renewal: held for the renewal conversation',
    );
    expect(text).toContain('Module cross-sell: reporting: $5,000 potential ARR | Owner: Sam Ortiz | Status: watch');
    const hottest = text.slice(text.indexOf('🔥 Hottest'), text.indexOf('⏸️ Withheld Opportunities'));
    expect(hottest).not.toContain('Renewing Co');
    expect(text.slice(text.indexOf('🎯 Owner Expansion Leaderboard'))).not.toContain('Sam Ortiz');
  });

  it('never shows the holdout: sellers told of it would pitch it and spoil the comparison', () => {
    const held = seatOpportunity({
      withheld: 'holdout',
      arrPotential: 70_000,
      expectedValue: 30_000,
      priority: undefined,
    });
    const withHoldout = [
      ...rows,
      stored({
        accountId: '6',
        accountName: 'Holdout Inc',
        ownerId: '98',
        ownerName: 'Lee Park',
        assessment: assessment({ accountId: '6', opportunities: [held] }),
      }),
    ];
    const text = alertText(weeklyDigestAlert(withHoldout, { weekOf: '2026-11-30', currency: 'USD' }));
    expect(text).not.toContain('Holdout Inc');
    expect(text).not.toContain('$70,000');
  });
});

describe('run alerts', () => {
  it('a failed run says what failed, with the run facts', () => {
    const alert = runFailedAlert(report({ status: 'failed', message: 'HubSpot rejected the token (401)' }));
    expect(alert).toMatchObject({
      kind: 'run_failed',
      title: '🚨 SYNC RUN FAILED',
      summary: 'Sync acme failed: HubSpot rejected the token (401)',
    });
    expect(alertText(alert)).toContain('What failed\nHubSpot rejected the token (401)');
  });

  it('a stopped run names the phase and says the next run resumes', () => {
    const alert = runFailedAlert(
      report({
        status: 'stopped',
        stopped: { code: 'daily_quota', message: 'daily API allowance nearly used', phase: 'opportunity' },
      }),
    );
    expect(alert.title).toBe('⏹️ SYNC RUN STOPPED EARLY');
    expect(alertText(alert)).toContain('Phase: opportunity (daily_quota)');
    expect(alertText(alert)).toContain('resumes from the write ledger');
  });

  it('the failed-record alert gives the rate from report.writes and the codes from report.failures', () => {
    const failures = [1, 2, 3].map((i) => ({
      object: 'companies',
      recordKey: String(i),
      accountName: `A${i}`,
      code: i === 3 ? 'INVALID_EMAIL' : 'VALIDATION_ERROR',
      message: 'bad value',
    }));
    const alert = failedRecordsAlert(
      report({
        writes: {
          account: { created: 0, updated: 17, failed: 3 },
          opportunity: { created: 0, updated: 0, failed: 0 },
          note: { created: 0, updated: 0, failed: 0 },
        },
        failures,
      }),
      0.05,
    );
    expect(alert.data).toMatchObject({
      attempted: 20,
      failed: 3,
      rate: 0.15,
      threshold: 0.05,
      byCode: { VALIDATION_ERROR: 2, INVALID_EMAIL: 1 },
    });
    expect(alert.summary).toBe('Sync acme: 3 of 20 record writes failed (15%, threshold 5%)');
    expect(alertText(alert)).toContain('• VALIDATION_ERROR: 2 records');
  });

  it('schema drift lists disabled rules with file:line and fix, truncations and picklist misses', () => {
    const alert = schemaDriftAlert(
      report({
        schema: {
          disabled: [
            {
              severity: 'error',
              file: 'mappings/hubspot.companies.yaml',
              line: 12,
              object: 'companies',
              field: 'es_score',
              rule: 'write',
              message: 'the property does not exist',
              fix: 'create it with setup',
              change: 'deleted or renamed in the CRM since the last run',
            },
          ],
          warnings: [],
          truncated: [{ object: 'companies', field: 'es_reasons', count: 3, length: 255 }],
          rejected: [{ object: 'deals', field: 'es_motion', count: 2, values: ['seat_add'] }],
        },
      }),
    );
    const text = alertText(alert);
    expect(alert.title).toBe('🧭 CRM SCHEMA DRIFT');
    expect(text).toContain(
      'companies.es_score (mappings/hubspot.companies.yaml:12)\nthe property does not exist (deleted or renamed in the CRM since the last run)\nFix: create it with setup',
    );
    expect(text).toContain('• companies.es_reasons: 3 values cut to 255 characters');
    expect(text).toContain('• deals.es_motion: 2 values (seat_add)');
  });
});
