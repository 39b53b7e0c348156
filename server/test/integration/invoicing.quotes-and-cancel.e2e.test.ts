/**
 * End to end through HubSpot's and the vendors' sandboxes: a quotation on won where the vendor has
 * quotations, the invoice made from it from the card (linked at the vendor where it links them), and
 * cancelling the invoice from the card after the deal was lost — once, with the number on the deal.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

const lines: Array<Record<string, string>> = [
  { name: 'Konzeption Website-Relaunch und Wartung Müller GmbH 2027', quantity: '12.5', price: '95.00' },
  { name: 'Gestaltung Startseite und 14 Unterseiten', quantity: '1', price: '4250.00', hs_discount_percentage: '5' },
  { name: 'Schulung Redaktionssystem für die Bäckerei Hölzl & Söhne Großhandel GmbH', quantity: '2', price: '680.00' },
  { name: 'Wartungsvertrag Hosting (12 Monate)', quantity: '12', price: '49.00' },
];

/** Per vendor: how the sandbox shows that an invoice follows a quotation, and what a cancellation left there. */
const witnesses = {
  sevdesk: {
    quotationCount: (sandbox: any) => sandbox.store.orders.size,
    // createInvoiceFromOrder: the invoice's `origin` is the order (SVS createInvoiceFromOrder).
    linked: (sandbox: any, invoiceId: string, quotationId: string) => sandbox.store.invoices.get(invoiceId).origin?.id === quotationId,
    cancellationNumbers: (sandbox: any, invoiceId: string) =>
      [...sandbox.store.invoices.values()].filter((i: any) => i.origin?.id === invoiceId).map((i: any) => i.invoiceNumber),
    isCancelled: (sandbox: any, invoiceId: string) => Boolean(sandbox.store.invoices.get(invoiceId).cancelledById),
  },
  lexoffice: {
    quotationCount: (sandbox: any) => [...sandbox.store.vouchers.values()].filter((v: any) => v.kind === 'quotation').length,
    // precedingSalesVoucherId: both vouchers list each other in relatedVouchers.
    linked: (sandbox: any, invoiceId: string, quotationId: string) =>
      sandbox.store.vouchers.get(invoiceId).related.includes(quotationId) && sandbox.store.vouchers.get(quotationId).related.includes(invoiceId),
    // A finalized credit note pursued from the invoice settles its open amount; both list each other.
    cancellationNumbers: (sandbox: any, invoiceId: string) =>
      sandbox.store.vouchers
        .get(invoiceId)
        .related.map((id: string) => sandbox.store.vouchers.get(id))
        .filter((v: any) => v.kind === 'creditnote')
        .map((v: any) => v.voucherNumber),
    isCancelled: (sandbox: any, invoiceId: string) => sandbox.store.openAmount(sandbox.store.vouchers.get(invoiceId)).isZero(),
  },
  bexio: {
    quotationCount: (sandbox: any) => sandbox.store.documents.kb_offer.size,
    // kb_offer/{id}/invoice: the quote is accepted (3) and the invoice carries its reference and positions.
    linked: (sandbox: any, invoiceId: string, quotationId: string) => {
      const offer = sandbox.store.documents.kb_offer.get(Number(quotationId));
      const invoice = sandbox.store.documents.kb_invoice.get(Number(invoiceId));
      return offer.statusId === 3 && invoice.fields.api_reference === offer.fields.api_reference && invoice.positions.length === offer.positions.length;
    },
    cancellationNumbers: () => [],
    isCancelled: (sandbox: any, invoiceId: string) => sandbox.store.documents.kb_invoice.get(Number(invoiceId)).statusId === 19,
  },
  qonto: {
    quotationCount: (sandbox: any) => sandbox.store.quotes.size,
    // The invoice was created with the quote's `quote_id` (create-a-client-invoice).
    linked: (sandbox: any, invoiceId: string, quotationId: string) => sandbox.store.quotes.get(quotationId).invoiceIds.includes(invoiceId),
    cancellationNumbers: (sandbox: any, invoiceId: string) =>
      [...sandbox.store.creditNotes.values()].filter((c: any) => c.invoiceId === invoiceId).map((c: any) => c.record.number),
    // A credit note over the full amount cancels the invoice (docs: credit-notes/create-a-credit-note).
    isCancelled: (sandbox: any, invoiceId: string) => sandbox.store.invoices.get(invoiceId).invoice.status === 'canceled',
  },
} as const;

describe.each(['sevdesk', 'lexoffice', 'bexio', 'qonto'] as const)('quotations and cancellations through the %s sandbox', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let sandbox: any;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    vendor = vendorProbe(sandboxes, providerId);
    sandbox = sandboxes.vendors[providerId].sandbox;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    expect(
      (await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: providerId, credentials: vendor.credentials } })).status,
    ).toBe(200);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    if (providerId === 'bexio') {
      // A bexio account is Swiss: its user keeps 8.1 % in HubSpot's tax library and as the default rate.
      const portal = sandboxes.hubspot.store.portal(Number(t.portalId))!;
      portal.taxRates.push({
        id: '1081',
        name: 'CH_MWST_8_1',
        label: 'MWST 8.1 %',
        percentageRate: '8.1',
        active: true,
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    }
  });

  const standardRate = providerId === 'bexio' ? '8.1' : '19';
  const witness = witnesses[providerId];

  afterAll(async () => {
    await t?.stop();
  });

  async function wonDeal(label: string): Promise<{ dealId: string; moveTo: (stage: 'won' | 'lost') => Promise<void> }> {
    const pipeline = await user.createPipeline(label);
    const rates = await user.taxRateIds();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: lines.map((l) => ({ ...l, hs_tax_rate_group_id: rates[standardRate] })),
    });
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    const moveTo = async (stage: 'won' | 'lost') => {
      user.update('deals', deal.dealId, { dealstage: stage === 'won' ? pipeline.wonStageId : pipeline.lostStageId });
      await t.sandboxes!.hubspot.flushWebhooks();
      await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    };
    return { dealId: deal.dealId, moveTo };
  }

  async function card(dealId: string) {
    return (await (await t.signedFetch(`/api/v1/deals/${dealId}/invoice`, { locale: 'de' })).json()) as any;
  }

  it('creates a quotation on won, then the invoice from it on "create invoice", linked at the vendor', async () => {
    // Plain invoices and quotations here; e-invoices have their own suite (einvoice.e2e.test.ts).
    expect(
      (await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { documentType: 'quotation', eInvoiceForBusinessCustomers: false } } }))
        .status,
    ).toBe(200);
    const { dealId } = await wonDeal('Angebote Webprojekte');
    const quote = (await card(dealId)).invoice;
    // 1187.50 + 4037.50 + 1360.00 + 588.00 = 7173.00 net
    expect(quote).toMatchObject({ kind: 'quotation', status: expect.stringMatching(/created|sent/), totals: { net: '7173.00' } });
    expect(quote.number).toMatch(/\S/);
    expect(witness.quotationCount(sandbox)).toBe(1);

    expect((await t.signedFetch(`/api/v1/deals/${dealId}/invoice`, { method: 'POST' })).status).toBe(202);
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
    expect(job.lastError).toBeNull();
    const invoice = (await card(dealId)).invoice;
    expect(invoice).toMatchObject({ kind: 'invoice', quotation: { number: quote.number }, totals: quote.totals });
    const record = (await t.services.invoicing.records.get(t.portalId, dealId))!;
    expect(witness.linked(sandbox, record.documentId!, record.quotationId!)).toBe(true);
    expect(witness.quotationCount(sandbox)).toBe(1);
    expect(await user.dealProperties(dealId, ['apiup_invoice_number'])).toEqual(expect.objectContaining({ apiup_invoice_number: invoice.number }));
  });

  const cancellation = { sevdesk: 'cancellation_invoice', bexio: 'status', qonto: 'credit_note', lexoffice: 'credit_note' }[providerId];

  it('cancels the invoice of a lost deal once from the card (also when the answer is lost), writes the number to the deal, and invoices anew only after that', async () => {
    expect(
      (await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { documentType: 'invoice', eInvoiceForBusinessCustomers: false } } }))
        .status,
    ).toBe(200);
    const { dealId, moveTo } = await wonDeal('Wartungsverträge');
    const invoice = (await card(dealId)).invoice;
    expect(invoice).toMatchObject({ kind: 'invoice', canCancel: true, cancellation: null });

    await moveTo('lost');
    const attention = (await card(dealId)).invoice;
    expect(attention).toMatchObject({ status: 'needs_attention', canCancel: true, reason: { code: 'left_won_after_invoice' } });
    expect(attention.reason.message).toContain('Deal-Karte');

    // The vendor commits the cancellation and the connection drops: the retry must find it, not make a second one.
    sandbox.faults.set({ dropAfterCommit: 1 });
    const first = await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' });
    const second = await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' });
    expect(first.status).toBe(202);
    expect([202, 409]).toContain(second.status);
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
    expect(job.state).toBe('succeeded');
    expect(sandbox.faults.settings.dropAfterCommit).toBe(0); // the vendor's answer to the cancelling write was dropped
    sandbox.faults.reset();
    const cancelled = (await card(dealId)).invoice;
    expect(cancelled).toMatchObject({ status: 'cancelled', canCancel: false, number: invoice.number, cancellation: { kind: cancellation } });
    const record = (await t.services.invoicing.records.get(t.portalId, dealId))!;
    expect(witness.isCancelled(sandbox, record.documentId!)).toBe(true);
    const numbers = witness.cancellationNumbers(sandbox, record.documentId!);
    expect(numbers).toHaveLength(cancellation === 'status' ? 0 : 1);
    expect(cancelled.cancellation.number ?? undefined).toBe(numbers[0]);
    const props = await user.dealProperties(dealId, ['apiup_invoice_status', 'apiup_credit_note_number']);
    expect(props.apiup_invoice_status).toBe('cancelled');
    expect(props.apiup_credit_note_number ?? undefined).toBe(numbers[0]);
    expect((await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' })).status).toBe(409);

    await moveTo('won');
    const renewed = (await t.services.invoicing.records.get(t.portalId, dealId))!;
    expect(renewed).toMatchObject({ status: expect.stringMatching(/created|sent/), cancelledCount: 1, reference: `APIUP-${t.portalId}-${dealId}-1` });
    expect(renewed.documentId).not.toBe(record.documentId);
    expect(witness.isCancelled(sandbox, renewed.documentId!)).toBe(false);
  });

  it('offers no cancel for a draft invoice, and refuses one asked for', async () => {
    expect(
      (
        await t.signedFetch('/api/v1/settings/rules', {
          method: 'PUT',
          body: { invoice: { documentType: 'invoice', finalize: false, eInvoiceForBusinessCustomers: false } },
        })
      ).status,
    ).toBe(200);
    const { dealId, moveTo } = await wonDeal('Entwürfe');
    await moveTo('lost');
    expect((await card(dealId)).invoice).toMatchObject({ status: 'needs_attention', canCancel: false });
    const refused = await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toContain('draft');
    expect(
      (await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { finalize: true, eInvoiceForBusinessCustomers: false } } })).status,
    ).toBe(200);
  });
});

describe('what the settings page learns about the connected vendor', () => {
  let t: TestApiup;

  beforeAll(async () => {
    t = await startTestApiup();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it.each([
    ['lexoffice', { quotations: true, invoiceFromQuotation: true, invoiceCancellation: 'credit_note', contactCompanyLink: true }],
    ['sevdesk', { quotations: true, invoiceFromQuotation: true, invoiceCancellation: 'cancellation_invoice', contactCompanyLink: true }],
    ['bexio', { quotations: true, invoiceFromQuotation: true, invoiceCancellation: 'status', contactCompanyLink: true }],
    ['qonto', { quotations: true, invoiceFromQuotation: true, invoiceCancellation: 'credit_note', contactCompanyLink: false }],
  ] as const)('%s', async (providerId, capabilities) => {
    const vendor = vendorProbe(t.sandboxes!, providerId);
    expect(
      (await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: providerId, credentials: vendor.credentials } })).status,
    ).toBe(200);
    expect((await (await t.signedFetch('/api/v1/settings')).json()).capabilities).toEqual(capabilities);
  });

  it('refuses "quotation" as the document type while the connected vendor reports no quotations, and keeps the stored rules', async () => {
    const connected = (await t.services.connections.providerFor(t.portalId))!;
    const spy = vi
      .spyOn(t.services.connections, 'providerFor')
      .mockResolvedValue({ ...connected, provider: { ...connected.provider, capabilities: { ...connected.provider.capabilities, quotations: false } } });
    try {
      expect((await (await t.signedFetch('/api/v1/settings')).json()).capabilities.quotations).toBe(false);
      const refused = await t.signedFetch('/api/v1/settings/rules', {
        method: 'PUT',
        body: { invoice: { documentType: 'quotation', eInvoiceForBusinessCustomers: false } },
      });
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.message).toContain('cannot create quotations');
      expect((await (await t.signedFetch('/api/v1/settings')).json()).rules.invoice.documentType).toBe('invoice');
    } finally {
      spy.mockRestore();
    }
  });
});
