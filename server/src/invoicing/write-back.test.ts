import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubspotError, type HubspotClients } from '../hubspot/client';
import { HubspotRuleRefused, ruleRefusalOf, ruleRetryMs } from '../hubspot/required-rules';
import { formatMessage } from './messages';
import type { InvoiceRecord } from './records';
import { hubspotDate, reasonParams, writeBackDocument } from './write-back';

const recorded = (file: string) =>
  (JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/recorded/hubspot', file), 'utf8')) as { response: { status: number; body: unknown } }).response;

/** A HubSpot client whose deal update is answered with the given error; records what was sent. */
function hubspotAnswering(error: HubspotError) {
  const sent: unknown[] = [];
  const clients = {
    call: async (_portalId: string, operation: (c: unknown) => Promise<unknown>) => {
      const c = {
        crm: {
          deals: {
            basicApi: {
              update: async (_id: string, input: unknown) => {
                sent.push(input);
                throw error;
              },
            },
          },
        },
      };
      return operation(c);
    },
  } as unknown as HubspotClients;
  return { clients, sent };
}

const record = {
  portalId: '24681357',
  dealId: '9001',
  status: 'created',
  documentNumber: 'RE-2027-0042',
  documentDate: '2027-03-31',
  documentUrl: 'https://app.lexware.de/permalink/invoices/view/4711',
  paidDate: null,
} as unknown as InvoiceRecord;

describe('write-back and HubSpot required-property rules', () => {
  it('turns a conditional-rule refusal into a waiting job that names the property and its trigger', async () => {
    const { status, body } = recorded('conditional-required-property.json');
    const { clients, sent } = hubspotAnswering(new HubspotError(status, 'rule', body));
    const error = await writeBackDocument(clients, record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubspotRuleRefused);
    expect((error as HubspotRuleRefused).refusal).toEqual({ properties: ['my_property'], because: ['country'] });
    expect((error as HubspotRuleRefused).delayMs).toBe(ruleRetryMs);
    expect(sent).toHaveLength(1);
  });

  it('explains a Create Record refusal on the card in German and English', () => {
    const { status, body } = recorded('required-property-on-create.json');
    const refusal = ruleRefusalOf(new HubspotError(status, 'rule', body))!;
    const params = reasonParams(JSON.stringify({ properties: refusal.properties.join(', '), because: refusal.because.join(', ') }));
    expect(formatMessage('hubspot_required_property', 'de', params)).toContain('verlangt „firstname“.');
    expect(formatMessage('hubspot_required_property', 'en', { properties: 'closedate', because: 'dealstage' })).toContain(
      'asks for "closedate", triggered by the value of "dealstage"',
    );
  });

  it('leaves other HubSpot failures as they are', async () => {
    const { clients } = hubspotAnswering(
      new HubspotError(400, 'invalid', { category: 'VALIDATION_ERROR', message: 'Property values were not valid', errors: [{ code: 'INVALID_DATE' }] }),
    );
    const error = await writeBackDocument(clients, record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubspotError);
    expect(ruleRefusalOf(new HubspotError(403, 'scopes', { category: 'MISSING_SCOPES' }))).toBeUndefined();
  });
});

describe('hubspotDate', () => {
  it('keeps a calendar day as YYYY-MM-DD, which HubSpot reads as midnight UTC', () => {
    expect(hubspotDate('2026-12-01')).toBe('2026-12-01');
  });

  it("keeps the vendor's calendar day of a date-time, whatever its offset", () => {
    expect(hubspotDate('2026-12-01T00:00:00.000+01:00')).toBe('2026-12-01');
    expect(hubspotDate('2026-12-24 15:30:00')).toBe('2026-12-24');
  });

  it('leaves out what is not a real date, so HubSpot does not refuse the whole update', () => {
    expect(hubspotDate('01.12.2026')).toBeUndefined();
    expect(hubspotDate('2026-02-30')).toBeUndefined();
    expect(hubspotDate('')).toBeUndefined();
    expect(hubspotDate(null)).toBeUndefined();
    expect(hubspotDate('1796083200000')).toBeUndefined();
  });
});
