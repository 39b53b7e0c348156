import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, type ProviderId } from '../../src/accounting/provider';
import { loadSecretBox } from '../../src/crypto/key-store';
import { accountingConnections } from '../../src/db/schema';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe } from '../helpers/vendors';

const outcomeProperties = ['apiup_invoice_status', 'apiup_invoice_reason', 'apiup_invoice_number'];
const longDealName = 'Website-Relaunch und Wartung Müller GmbH 2027';

describe('every invoice outcome is on the deal, with its reason', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;

  beforeAll(async () => {
    t = await startTestApiup({ QUEUE_BACKOFF_BASE_MS: '10', QUEUE_BACKOFF_MAX_MS: '20' });
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    pipeline = await user.createPipeline('Großprojekte');
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function lexofficeInvoice(id: string): Promise<{ title: string; introduction: string }> {
    const url = t.sandboxes!.vendors.lexoffice.url;
    const { apiKey } = vendorProbe(t.sandboxes!, 'lexoffice').credentials;
    const response = await fetch(`${url}/v1/invoices/${id}`, { headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' } });
    return response.json();
  }

  async function winDeal(name: string, lineItems: Array<Record<string, string>>) {
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name,
      lineItems,
      company: { name: 'Müller Maschinenbau GmbH & Co. KG', address: 'Königstraße 12', zip: '70173', city: 'Stuttgart', country: 'DE' },
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 60_000);
    return { dealId: deal.dealId, properties: await user.dealProperties(deal.dealId, outcomeProperties) };
  }

  it('writes "skipped" and the reason in German to a deal that no package covers', async () => {
    const { properties } = await winDeal('Wartungsvertrag Bäckerei Schäfer', [{ name: 'Wartung', quantity: '1', price: '240' }]);
    expect(properties).toMatchObject({ apiup_invoice_status: 'skipped', apiup_invoice_reason: expect.stringContaining('Paket') });
  });

  it('writes the reason in English when the portal chose English', async () => {
    await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { language: 'en' } } });
    const { properties } = await winDeal('Wartungsvertrag Bäckerei Schäfer', [{ name: 'Wartung', quantity: '1', price: '240' }]);
    expect(properties.apiup_invoice_reason).toBe('Invoicing needs a package that includes it (Accounting & Invoicing, Business or Business Plus).');
    await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { language: 'de' } } });
  });

  it.each(providerIds)('invoices "%s" with default settings for a deal whose name is longer than any title field', async (provider: ProviderId) => {
    await t.services.connections.connect(t.portalId, provider, vendorProbe(t.sandboxes!, provider).credentials);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    // Lines without a HubSpot tax rate take the default rate (19 %); a bexio account is Swiss and has no 19 %, so its user sets 8.1 %.
    // The e-invoice pre-flight would ask sevDesk's buyer reference first (einvoice.e2e.test.ts covers it): off here.
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { defaultTaxRatePercent: provider === 'bexio' ? '8.1' : '19', eInvoiceForBusinessCustomers: false } },
    });
    const { dealId, properties } = await winDeal(longDealName, [
      { name: 'Konzeption und Informationsarchitektur', quantity: '1', price: '2400.00' },
      { name: 'Umsetzung Frontend (Barrierefreiheit nach BITV 2.0)', quantity: '12', price: '95.00' },
      { name: 'Wartung und Sicherheitsupdates, monatlich', quantity: '12', price: '49.90' },
    ]);
    expect(properties.apiup_invoice_status, JSON.stringify(properties)).toMatch(/^(created|sent)$/);
    expect(properties.apiup_invoice_reason ?? '').toBe('');
    const record = (await t.services.invoicing.records.get(t.portalId, dealId))!;
    expect(record.documentId).toBeTruthy();
    if (provider === 'lexoffice') {
      // Lexware's title takes 25 characters: the title keeps its first word, the introduction has it whole.
      const invoice = await lexofficeInvoice(record.documentId!);
      expect(invoice.title).toBe('Rechnung…');
      expect(invoice.introduction.startsWith(`Rechnung ${longDealName}`)).toBe(true);
    }
  });

  it('previews the fitting before anything is sent, and names what cannot be fitted', async () => {
    await t.services.connections.connect(t.portalId, 'lexoffice', vendorProbe(t.sandboxes!, 'lexoffice').credentials);
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      name: longDealName,
      lineItems: [{ name: 'Konzeption und Informationsarchitektur', quantity: '1', price: '2400.00' }],
    });
    const preview = async () => (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'de' })).json();
    const fitted = await preview();
    expect(fitted.skip).toBeNull();
    expect(fitted.notices).toEqual([
      {
        code: 'default_tax_rate_used',
        blocking: false,
        message: 'Position 1 „Konzeption und Informationsarchitektur“ hat in HubSpot keinen Steuersatz; es gilt der Standardsatz 19 %.',
      },
      {
        code: 'title_moved_to_introduction',
        blocking: false,
        message: 'Der Titel ist länger als 25 Zeichen und steht deshalb vollständig am Anfang des Einleitungstexts.',
      },
      // Which reading of Lexware's unsettled discount rule the totals use (invoicing.rounding-settings.test.ts).
      {
        code: 'rounding_reading',
        blocking: false,
        message: expect.stringContaining(
          'Rundungsregel LX-R2: Rabatt – die rabattierte Zeile wird einmal auf Cent gerundet (Standard, in den Einstellungen änderbar).',
        ),
      },
    ]);
    expect(fitted.lines[0]).toMatchObject({ taxRatePercent: '19', taxRateSource: 'default' });

    // 1984 characters fit the template's 2000, but not Lexware's remark once the deal name is filled in.
    const closingText = `${'Wir danken Ihnen für Ihren Auftrag und die gute Zusammenarbeit. '.repeat(31)}{{deal.name}}`;
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { texts: { closingText } } } })).status).toBe(200);
    const refused = await preview();
    expect(refused.notices).toContainEqual(expect.objectContaining({ code: 'field_too_long', blocking: true }));
    expect(refused.skip).toMatchObject({ code: 'field_too_long', message: expect.stringContaining('(höchstens 1936)') });
    await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { texts: { closingText: '' } } } });
    expect(vendorProbe(t.sandboxes!, 'lexoffice').documentCount()).toBe(1);
  });

  it('warns on saving texts whose fixed part alone is longer than the connected vendor takes', async () => {
    await t.services.connections.connect(t.portalId, 'lexoffice', vendorProbe(t.sandboxes!, 'lexoffice').credentials);
    const save = async (texts: Record<string, string>) =>
      (await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { texts } } })).json();
    const introduction = 'Sehr geehrte Damen und Herren, '.repeat(65); // 2015 characters
    const saved = await save({ title: 'Rechnung über Wartungsleistungen {{deal.name}}', introduction: introduction.slice(0, 1999), closingText: '' });
    expect(saved.warnings).toEqual([{ field: 'title', code: 'title_moved', limit: 25, length: 32 }]);
    expect((await save({ title: 'Rechnung {{deal.name}}', introduction: `${introduction.slice(0, 1960)}{{deal.nmae}} {{company.name}}` })).warnings).toEqual([
      { field: 'introduction', code: 'unknown_placeholder', placeholder: '{{deal.nmae}}' },
    ]);
    await save({ title: 'Rechnung {{deal.name}}', introduction: '' });
  });

  it("gives the company's VAT id from the property the sync keeps (apiup_vat_id) to the accounting customer", async () => {
    await t.services.connections.connect(t.portalId, 'lexoffice', vendorProbe(t.sandboxes!, 'lexoffice').credentials);
    // The install's setup creates the VAT id property on companies, whatever package the portal has.
    const { id } = await t.queue.enqueue(t.services.portalSetupJob, { portalId: t.portalId });
    expect((await t.queue.waitFor(id, ['succeeded', 'dead'])).state).toBe('succeeded');
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Rahmenvertrag Übersetzungen 2027',
      lineItems: [{ name: 'Fachübersetzung', quantity: '40', price: '1.35' }],
      company: {
        name: 'Sprachdienst Köhler & Weiß GmbH',
        address: 'Am Weißenhof 3',
        zip: '70191',
        city: 'Stuttgart',
        country: 'DE',
        apiup_vat_id: 'DE811907980',
      },
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 60_000);
    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    const { apiKey } = vendorProbe(t.sandboxes!, 'lexoffice').credentials;
    const contact = await (
      await fetch(`${t.sandboxes!.vendors.lexoffice.url}/v1/contacts/${record.customerId}`, {
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      })
    ).json();
    expect(contact.company).toMatchObject({ name: 'Sprachdienst Köhler & Weiß GmbH', vatRegistrationId: 'DE811907980' });
  });

  it('writes "failed" and the vendor\'s refusal when the accounting system rejects the run (API token revoked)', async () => {
    await t.services.connections.connect(t.portalId, 'sevdesk', vendorProbe(t.sandboxes!, 'sevdesk').credentials);
    // The user revokes the token in sevDesk: our stored credentials no longer work.
    await t.db.update(accountingConnections).set({ credentialsSealed: loadSecretBox(t.config).encryptJson({ apiToken: '0123456789abcdef0123456789abcdef' }) });
    const { dealId } = await winDeal('Jahreslizenz Müller & Söhne', [{ name: 'Lizenz', quantity: '1', price: '990' }]);
    await expect.poll(() => user.dealProperties(dealId, outcomeProperties)).toMatchObject({ apiup_invoice_status: 'failed' });
    const properties = await user.dealProperties(dealId, outcomeProperties);
    expect(properties.apiup_invoice_reason).toMatch(/^Die Buchhaltung hat die Anfrage abgelehnt: /);
  });
});
