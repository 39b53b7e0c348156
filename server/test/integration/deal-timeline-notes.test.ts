/**
 * "Invoice created / sent / paid" on the deal's timeline: one HubSpot note per event and document,
 * written through the HubSpot sandbox's notes API, never twice however often the jobs run.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealTimelineNotes } from '../../src/db/schema';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

describe('invoice events as notes on the deal', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    // sevDesk sends invoices by e-mail and reports payments, so all three events happen.
    vendor = vendorProbe(sandboxes, 'sevdesk');
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    await t.services.connections.connect(t.portalId, 'sevdesk', vendor.credentials);
    await t.services.subscriptions.activate(t.portalId, 'business_plus');
    await t.services.settings.save(
      t.portalId,
      await t.services.settings.prepare(t.portalId, { invoice: { eInvoiceForBusinessCustomers: false, sendEmail: true } }),
    );
  });

  afterAll(async () => {
    await t?.stop();
  });

  const notes = (dealId: string) => t.sandboxes!.hubspot.notesOf(Number(t.portalId), dealId).map((n) => n.properties.hs_note_body);
  const settle = (dealId: string) => t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);

  it('notes created and sent once when the deal is won, paid once when the customer pays, and nothing twice when the jobs run again', async () => {
    const pipeline = await user.createPipeline('Großkunden Süd');
    // A private customer (contact only): the invoice goes to her e-mail address.
    const contactId = user.create('contacts', {
      firstname: 'Bärbel',
      lastname: 'Großkopf-Weißenböck',
      email: 'baerbel.grosskopf@grosskopf-feinkost.example',
      address: 'Schloßstraße 7',
      zip: '70176',
      city: 'Stuttgart',
      country: 'DE',
    });
    const deal = {
      dealId: user.create('deals', {
        dealname: 'Jahreswartung Kälteanlagen 2027',
        pipeline: pipeline.pipelineId,
        dealstage: pipeline.openStageId,
        deal_currency_code: 'EUR',
      }),
    };
    for (const line of [
      { name: 'Wartung Kühlzelle Nord (halbjährlich)', quantity: '2', price: '640.00' },
      { name: 'Dichtungssatz Kühlzellentür, Ersatzteil', quantity: '3', price: '48.75' },
      { name: 'Anfahrtspauschale Großraum Stuttgart', quantity: '1', price: '55.00' },
    ])
      user.associate('deals', deal.dealId, 'line_items', user.create('line_items', line));
    user.associate('deals', deal.dealId, 'contacts', contactId);
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    expect((await settle(deal.dealId)).state).toBe('succeeded');

    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    expect(record.status).toBe('sent');
    const number = record.documentNumber!;
    expect(notes(deal.dealId)).toEqual([
      `<p><strong>APIUP</strong>: Rechnung ${number} in der Buchhaltung erstellt (brutto ${record.totalGross} EUR).</p>`,
      `<p><strong>APIUP</strong>: Rechnung ${number} per E-Mail an den Kunden versendet.</p>`,
    ]);

    // The invoice job runs again ("create now" on the card): it finds the document and writes no note.
    expect((await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' })).status).toBe(202);
    await settle(deal.dealId);
    expect(notes(deal.dealId)).toHaveLength(2);

    vendor.markPaid(record.documentId!, '2026-12-01');
    await t.queue.waitFor(`payment:${t.portalId}:${deal.dealId}`, 'succeeded', 20_000);
    expect(notes(deal.dealId)).toHaveLength(3);
    expect(notes(deal.dealId)[2]).toBe(`<p><strong>APIUP</strong>: Rechnung ${number} bezahlt am 2026-12-01.</p>`);

    // The payment watch runs again (a late vendor event): the paid note stays single.
    await t.queue.enqueue(t.services.invoicing.jobs.paymentCheck, { portalId: t.portalId, dealId: deal.dealId });
    await t.queue.waitFor(`payment:${t.portalId}:${deal.dealId}`, 'succeeded', 20_000);
    expect(notes(deal.dealId)).toHaveLength(3);

    const rows = await t.services.invoicing.db.select().from(dealTimelineNotes).where(eq(dealTimelineNotes.dealId, deal.dealId));
    expect(rows.map((r) => [r.event, r.state]).sort()).toEqual([
      ['created', 'written'],
      ['paid', 'written'],
      ['sent', 'written'],
    ]);
    expect(new Set(rows.map((r) => r.noteId)).size).toBe(3);
  });
});
