/**
 * The custom workflow action "create invoice / quote" end to end: the HubSpot sandbox runs it as a
 * workflow would (signed POST to the action URL of hubspot-project/app/workflow-actions/), our backend
 * answers BLOCK and completes the execution through the callbacks API when the invoice job is done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotSignedHeaders } from '../../src/hubspot/signature';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

describe('the workflow action "create invoice / quote"', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;

  beforeAll(async () => {
    // Short job backoff: one test makes the invoice job fail once and retry.
    t = await startTestApiup({ QUEUE_BACKOFF_BASE_MS: '10', QUEUE_BACKOFF_MAX_MS: '50' });
    const sandboxes = t.sandboxes!;
    vendor = vendorProbe(sandboxes, 'lexoffice');
    sandboxes.hubspot.recorder.enabled = true;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    await t.services.connections.connect(t.portalId, 'lexoffice', vendor.credentials);
    await t.services.subscriptions.activate(t.portalId, 'business_plus');
    await t.services.settings.save(t.portalId, await t.services.settings.prepare(t.portalId, { invoice: { eInvoiceForBusinessCustomers: false } }));
    pipeline = await user.createPipeline();
    // Only the workflow starts invoice runs here: no stage webhooks.
    sandboxes.hubspot.setWebhookTarget(undefined);
  });

  afterAll(async () => {
    await t?.stop();
  });

  const portal = () => Number(t.portalId);
  const settle = (dealId: string) => t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);

  /** A deal in an open stage: the workflow, not the stage, decides. */
  function openDeal(lineItems: Array<Record<string, string>>) {
    return user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      name: 'Ladeneinrichtung Filiale Grünwald',
      company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', address: 'Münchner Straße 12', zip: '82031', city: 'Grünwald', country: 'DE' },
      contact: { firstname: 'Jürgen', lastname: 'Weißmüller', email: `juergen.weissmueller.${Date.now()}@hoelzl-soehne.example` },
      lineItems,
    });
  }

  const lines = [
    { name: 'Thekenanlage Eiche massiv, 4,20 m', quantity: '1', price: '8450.00' },
    { name: 'Kühlvitrine Edelstahl, zweitürig', quantity: '2', price: '2199.90' },
    { name: 'Montage und Einweisung des Verkaufspersonals', quantity: '6.5', price: '89.00' },
  ];

  it('makes one document when the action runs twice for the same deal, and both executions get its number', async () => {
    const hubspot = t.sandboxes!.hubspot;
    const deal = await openDeal(lines);
    const before = vendor.documentCount();

    const [first, second] = await Promise.all([
      hubspot.runWorkflowAction(portal(), deal.dealId, { document_type: 'invoice' }),
      hubspot.runWorkflowAction(portal(), deal.dealId, { document_type: 'invoice' }),
    ]);
    expect(first.deliveries[0].status).toBe(200);
    expect(first.state).toBe('BLOCKED');
    expect(second.state).toBe('BLOCKED');
    expect((first.deliveries[0].answer as { outputFields: Record<string, string> }).outputFields).toEqual({
      hs_execution_state: 'BLOCK',
      hs_expiration_duration: 'P1D',
    });
    await settle(deal.dealId);

    expect(vendor.documentCount() - before).toBe(1);
    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    expect(record.documentNumber).toMatch(/\S+/);
    for (const execution of [first, second]) {
      expect(execution.state).toBe('COMPLETED');
      expect(execution.completions.filter((c) => c.accepted)).toHaveLength(1);
      expect(execution.outputFields).toEqual({
        hs_execution_state: 'SUCCESS',
        document_number: record.documentNumber,
        document_status: 'created',
        failure_reason: '',
      });
    }

    // A later run finds the document and answers at once, with the same number and no new job.
    const third = await hubspot.runWorkflowAction(portal(), deal.dealId, { document_type: 'invoice' });
    expect(third.state).toBe('SUCCEEDED');
    expect(third.outputFields?.document_number).toBe(record.documentNumber);
    expect(vendor.documentCount() - before).toBe(1);
  });

  it('answers a deal with nothing to invoice with a failure output, not a server error', async () => {
    const hubspot = t.sandboxes!.hubspot;
    const deal = await openDeal([]);
    user.update('deals', deal.dealId, { amount: '' });
    const before = vendor.documentCount();

    const execution = await hubspot.runWorkflowAction(portal(), deal.dealId, { document_type: 'invoice' });
    expect(execution.deliveries[0].status).toBe(200);
    await settle(deal.dealId);

    expect(execution.state).toBe('COMPLETED');
    expect(execution.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', document_number: '', document_status: 'skipped' });
    expect(execution.outputFields?.failure_reason).toBe('Deal hat keine Positionen und keinen Betrag.');
    expect(vendor.documentCount()).toBe(before);
  });

  it('makes a quote when the workflow asks for one, at any stage', async () => {
    const deal = await openDeal(lines.slice(0, 2));
    const execution = await t.sandboxes!.hubspot.runWorkflowAction(portal(), deal.dealId, { document_type: 'quote' });
    await settle(deal.dealId);
    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    expect(record.kind).toBe('quotation');
    expect(execution.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', document_number: record.documentNumber });
  });

  it('retries the job when HubSpot refuses the completion, without a second document or note', async () => {
    const hubspot = t.sandboxes!.hubspot;
    const deal = await openDeal(lines);
    const before = vendor.documentCount();
    // Every attempt of the client's completion call is rate limited, so the job's first run fails after the
    // document and its "created" note exist; the retry runs the whole invoice job again.
    hubspot.faults.set({ rateLimitBurst: 5, pathPrefix: '/automation/v4/actions/callbacks/' });
    const execution = await hubspot.runWorkflowAction(portal(), deal.dealId, { document_type: 'invoice' });
    const job = await settle(deal.dealId);
    hubspot.faults.reset();

    expect(job.state).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(vendor.documentCount() - before).toBe(1);
    expect(hubspot.notesOf(portal(), deal.dealId)).toHaveLength(1);
    expect(execution.state).toBe('COMPLETED');
    expect(execution.completions.filter((c) => c.accepted)).toHaveLength(1);
  });

  it('refuses a forged execution and answers one for a portal that is not connected without touching it', async () => {
    const deal = await openDeal(lines.slice(0, 1));
    const url = `${t.url}/hubspot/workflow-actions/create-document`;
    const body = JSON.stringify({
      callbackId: 'ap-1-2-3-0',
      origin: { portalId: portal() },
      object: { objectId: Number(deal.dealId), objectType: 'DEAL' },
      inputFields: { document_type: 'invoice' },
    });
    const forged = await fetch(url, { method: 'POST', body, headers: hubspotSignedHeaders({ clientSecret: 'not-the-app-secret', method: 'POST', url, body }) });
    expect(forged.status).toBe(401);

    const otherPortal = JSON.stringify({
      callbackId: 'ap-99-2-3-0',
      origin: { portalId: 99_887_766 },
      object: { objectId: Number(deal.dealId), objectType: 'DEAL' },
      inputFields: { document_type: 'invoice' },
    });
    const answer = await fetch(url, {
      method: 'POST',
      body: otherPortal,
      headers: hubspotSignedHeaders({ clientSecret: t.config.hubspot.clientSecret!, method: 'POST', url, body: otherPortal }),
    });
    expect(answer.status).toBe(200);
    expect((await answer.json()).outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', document_status: 'failed' });
    expect(await t.services.invoicing.workflowExecutions.pending(t.portalId, deal.dealId)).toEqual([]);
    expect(await t.services.invoicing.workflowExecutions.pending('99887766', deal.dealId)).toEqual([]);
    expect(await t.queue.latestByKey(`invoice:${t.portalId}:${deal.dealId}`)).toBeUndefined();
  });

  it("sent HubSpot only requests that HubSpot's OpenAPI documents accept, callbacks and notes included", () => {
    const exchanges = t.sandboxes!.hubspot.recorder.exchanges;
    expect(exchanges.some((e) => e.path.startsWith('/automation/v4/actions/callbacks/'))).toBe(true);
    expect(exchanges.some((e) => e.method === 'POST' && e.path === '/crm/v3/objects/notes')).toBe(true);
    // The rate-limited completions of the retry test were answered before the body was read: nothing to check in them.
    const { problems, unmatched } = checkHubspotExchanges(exchanges.filter((e) => e.status !== 429));
    expect(unmatched).toEqual([]);
    expect(problems.filter((p) => p.direction === 'request')).toEqual([]);
  });
});
