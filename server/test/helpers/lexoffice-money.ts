/**
 * One lexoffice sandbox on a real port, our provider pointed at it over HTTP and a customer contact,
 * for the money tests (examples, cases, property): the provider sends, the sandbox computes on its own.
 */
import { createLexofficeProvider } from '../../src/accounting/lexoffice/provider';
import type { AccountingProvider, DocumentDraft, DraftLine } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createlexofficeSandbox, type lexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

export interface LexofficeMoneyRig {
  sandbox: lexofficeSandbox;
  running: RunningSandbox;
  provider: AccountingProvider;
  contactId: string;
  /** A raw request as the vendor documents it, bypassing our provider. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** An invoice draft for the rig's customer. */
  draft(lines: DraftLine[], priceBasis?: DocumentDraft['priceBasis'], currency?: string): DocumentDraft;
}

export async function startLexofficeMoneyRig(): Promise<LexofficeMoneyRig> {
  // Time is no subject here: a wide bucket on both sides keeps the requests clear of the 2 req/s limit.
  const rateLimit = { requests: 10_000, perMs: 1000 };
  const sandbox = createlexofficeSandbox({ rateLimit });
  const running = await listenSandbox(sandbox.app, 0);
  const provider = createLexofficeProvider({
    baseUrl: running.url,
    credentials: { apiKey: sandbox.credentials.apiKey },
    log: silentLogger(),
    limiters: new RateLimiterRegistry(),
    rateLimit,
  });
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.credentials.apiKey}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const contact = await call('POST', '/v1/contacts', {
    version: 0,
    roles: { customer: {} },
    company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH' },
    addresses: { billing: [{ street: 'Schleißheimer Straße 214', zip: '80797', city: 'München', countryCode: 'DE' }] },
  });
  const contactId = String(contact.body.id);
  let counter = 0;
  const draft = (lines: DraftLine[], priceBasis: DocumentDraft['priceBasis'] = 'net', currency = 'EUR'): DocumentDraft => ({
    kind: 'invoice',
    customerId: contactId,
    currency,
    priceBasis,
    date: '2026-03-10',
    title: 'Rechnung',
    lines,
    reference: `APIUP-4711-${++counter}`,
    finalize: true,
  });
  return { sandbox, running, provider, contactId, call, draft };
}
