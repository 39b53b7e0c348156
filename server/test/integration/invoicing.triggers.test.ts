import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

/** The user chooses per pipeline which stages create an invoice, which a quote, and which pipelines are ignored. */
describe('invoice triggers chosen per pipeline', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;

  beforeAll(async () => {
    t = await startTestApiup();
    vendor = vendorProbe(t.sandboxes!, 'lexoffice');
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: 'lexoffice', credentials: vendor.credentials } });
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
  });

  afterAll(async () => {
    await t?.stop();
  });

  const lineItems = [
    { name: 'Konzeption Website-Relaunch Bäckerei Hölzl', quantity: '1', price: '2400.00' },
    { name: 'Umsetzung Onlineshop mit Filialfinder', quantity: '36', price: '95.00' },
    { name: 'Wartungsvertrag 12 Monate Größenordnung „Süd“', quantity: '12', price: '89.50' },
  ];

  async function moveTo(dealId: string, stageId: string) {
    user.update('deals', dealId, { dealstage: stageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
    return (await (await t.signedFetch(`/api/v1/deals/${dealId}/invoice`)).json()).invoice;
  }

  async function saveTriggers(triggers: Record<string, unknown>) {
    const saved = await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { triggers } } });
    expect(saved.status).toBe(200);
  }

  it("lists the portal's deal pipelines with their stages in display order, marking won stages", async () => {
    const pipeline = await user.createPipeline('Projekte Bäckereien Süd');
    const answer = await (await t.signedFetch('/api/v1/settings/pipelines')).json();
    const listed = answer.pipelines.find((p: { id: string }) => p.id === pipeline.pipelineId);
    expect(listed).toEqual({
      id: pipeline.pipelineId,
      label: 'Projekte Bäckereien Süd',
      stages: [
        { id: pipeline.openStageId, label: 'Offer sent', isWon: false, isClosed: false },
        { id: pipeline.wonStageId, label: 'Signed', isWon: true, isClosed: true },
        { id: pipeline.lostStageId, label: 'Gone', isWon: false, isClosed: true },
      ],
    });
    expect(answer.pipelines.some((p: { id: string }) => p.id === 'default')).toBe(true);
  });

  it('creates a quote at the stage chosen for quotes and an invoice at the stage chosen for invoices', async () => {
    const pipeline = await user.createPipeline('Angebote und Aufträge Müller GmbH');
    await saveTriggers({ [pipeline.pipelineId]: { quoteStages: [pipeline.openStageId], invoiceStages: [pipeline.lostStageId] } });
    // Created at the won stage, which this pipeline's choice leaves out: nothing happens until the deal moves.
    const quoted = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Website-Relaunch und Wartung Müller GmbH 2027',
      lineItems,
    });
    const before = vendor.documentCount();
    const preview = await (await t.signedFetch(`/api/v1/deals/${quoted.dealId}/invoice/preview`)).json();
    expect(preview.document).toEqual({ kind: 'invoice', triggeredByStage: false });
    expect(await moveTo(quoted.dealId, pipeline.openStageId)).toMatchObject({ kind: 'quotation', status: expect.stringMatching(/created|sent/) });
    expect(vendor.documentCount()).toBe(before + 1);
    // At the quote stage, the preview of a deal without a run yet says so (another deal, same stage).
    const atQuoteStage = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Filialnetz Planung Größenwahn GmbH',
      lineItems,
    });
    user.update('deals', atQuoteStage.dealId, { dealstage: pipeline.openStageId });
    expect((await (await t.signedFetch(`/api/v1/deals/${atQuoteStage.dealId}/invoice/preview`)).json()).document).toEqual({
      kind: 'quotation',
      triggeredByStage: true,
    });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${atQuoteStage.dealId}`, ['succeeded', 'dead'], 20_000);
    expect(vendor.documentCount()).toBe(before + 2);

    // The won stage is not chosen in this pipeline, so the deal waits there without a document.
    const invoiced = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Filialfinder Bäckerei Hölzl & Söhne Großhandel GmbH',
      lineItems,
    });
    const atLost = await moveTo(invoiced.dealId, pipeline.lostStageId);
    expect(atLost).toMatchObject({ kind: 'invoice', status: expect.stringMatching(/created|sent/) });
    expect(vendor.documentCount()).toBe(before + 3);
  });

  it('creates nothing at a won stage the user did not choose, nor in an ignored pipeline', async () => {
    const chosen = await user.createPipeline('Nur abgenommene Projekte');
    const ignored = await user.createPipeline('Interne Verrechnung (ignoriert)');
    await saveTriggers({ [chosen.pipelineId]: { invoiceStages: [chosen.openStageId] }, [ignored.pipelineId]: { ignored: true } });
    const before = vendor.documentCount();
    const notChosen = await user.createDeal({ pipelineId: chosen.pipelineId, stageId: chosen.lostStageId, name: 'Relaunch Schönwetter & Partner', lineItems });
    const inIgnored = await user.createDeal({
      pipelineId: ignored.pipelineId,
      stageId: ignored.openStageId,
      name: 'Interne Leistung Größenwahn GmbH',
      lineItems,
    });
    expect(await moveTo(notChosen.dealId, chosen.wonStageId)).toBeNull();
    const preview = await (await t.signedFetch(`/api/v1/deals/${inIgnored.dealId}/invoice/preview`)).json();
    expect(preview.document).toEqual({ kind: 'invoice', triggeredByStage: false });
    expect(await moveTo(inIgnored.dealId, ignored.wonStageId)).toBeNull();
    expect(vendor.documentCount()).toBe(before);
  });

  it('keeps the default for a pipeline without a choice: its won stage creates an invoice', async () => {
    const other = await user.createPipeline('Standardvertrieb Österreich');
    await saveTriggers({ unrelated: { ignored: true } });
    const deal = await user.createDeal({ pipelineId: other.pipelineId, stageId: other.openStageId, name: 'Jahreswartung Bäckerei Hölzl', lineItems });
    expect(await moveTo(deal.dealId, other.wonStageId)).toMatchObject({ kind: 'invoice', status: expect.stringMatching(/created|sent/) });
  });

  it('names the chosen stage, not "won", when the deal leaves it after invoicing', async () => {
    const pipeline = await user.createPipeline('Aufträge Großbäckerei Köhler & Söhne');
    await saveTriggers({ [pipeline.pipelineId]: { invoiceStages: [pipeline.openStageId] } });
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.lostStageId,
      name: 'Kassensystem Filialen Großbäckerei Köhler 2027',
      lineItems,
    });
    const invoiced = await moveTo(deal.dealId, pipeline.openStageId);
    expect(invoiced).toMatchObject({ kind: 'invoice', status: expect.stringMatching(/created|sent/), number: expect.stringMatching(/\S/) });

    // "Signed" is a won stage, but not the one this pipeline invoices at: the deal left "Offer sent".
    const left = await moveTo(deal.dealId, pipeline.wonStageId);
    expect(left).toMatchObject({ status: 'needs_attention', reason: { code: 'left_trigger_stage_after_invoice' } });
    expect(left.reason.message).toBe(
      `The deal left the stage that triggered the invoice ("Offer sent") after invoicing. Invoice ${invoiced.number} can be cancelled from the deal card (otherwise cancel or credit it in the accounting system).`,
    );
    const german = (await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json()).invoice;
    expect(german.reason.message).toContain('die auslösende Phase „Offer sent“ verlassen');
    expect(german.reason.message).not.toMatch(/gewonnen/);
  });

  it('refuses a stage chosen for both an invoice and a quote, and keeps the saved choice', async () => {
    const pipeline = await user.createPipeline('Doppelt gewählt');
    await saveTriggers({ [pipeline.pipelineId]: { invoiceStages: [pipeline.wonStageId] } });
    const refused = await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { triggers: { [pipeline.pipelineId]: { invoiceStages: [pipeline.wonStageId], quoteStages: [pipeline.wonStageId] } } } },
    });
    expect(refused.status).toBe(400);
    const settings = await (await t.signedFetch('/api/v1/settings')).json();
    expect(settings.rules.invoice.triggers).toEqual({ [pipeline.pipelineId]: { ignored: false, invoiceStages: [pipeline.wonStageId], quoteStages: [] } });
  });
});
