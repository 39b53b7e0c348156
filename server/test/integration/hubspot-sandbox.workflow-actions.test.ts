/**
 * The HubSpot sandbox's workflow action calls, callbacks API and notes, checked against HubSpot's
 * documented behaviour (sources in sandboxes/hubspot/workflow-actions.ts and notes.ts). The signature
 * is checked with the product's verifier: two independent implementations that must agree.
 */
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyRequestV3 } from '../../src/hubspot/signature';
import { createHubspotSandbox, type HubspotSandbox } from '../../src/sandboxes/hubspot/app';
import { durationMs } from '../../src/sandboxes/hubspot/workflow-actions';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const clientSecret = 'secret-xyz';
let nowMs: number;
let sandbox: HubspotSandbox;
let backend: RunningSandbox;
let received: Array<{ url: string; headers: Record<string, string | string[] | undefined>; rawBody: string }>;
let answer: { status: number; body: unknown };

beforeEach(async () => {
  nowMs = Date.UTC(2026, 11, 2, 9, 0, 0);
  sandbox = createHubspotSandbox({ clientSecret, now: () => nowMs });
  received = [];
  answer = { status: 200, body: { outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'PT1H' } } };
  const app = express();
  app.use(express.text({ type: '*/*' }));
  app.post('/hubspot/workflow-actions/create-document', (req, res) => {
    received.push({ url: req.originalUrl, headers: req.headers, rawBody: String(req.body) });
    res.status(answer.status).json(answer.body);
  });
  backend = await listenSandbox(app);
  sandbox.setBackendOrigin(backend.url);
});

afterEach(async () => {
  await backend.close();
});

function deal(portalId = sandbox.options.demoPortalId): string {
  return sandbox.simulateChange(portalId, 'deals', undefined, { dealname: 'Umbau Verkaufsraum Bäckerei Hölzl' }).id;
}

describe('workflow action calls', () => {
  it('POSTs the execution to the action URL with the documented body, signed v3 over that URL', async () => {
    const portalId = sandbox.options.demoPortalId;
    const dealId = deal();
    const execution = await sandbox.runWorkflowAction(portalId, dealId, { document_type: 'invoice' });
    expect(received).toHaveLength(1);
    const call = received[0];
    const url = `${backend.url}/hubspot/workflow-actions/create-document`;
    const check = verifyRequestV3({
      clientSecret,
      method: 'POST',
      url,
      rawBody: call.rawBody,
      timestamp: call.headers['x-hubspot-request-timestamp'] as string,
      signature: call.headers['x-hubspot-signature-v3'] as string,
      nowMs,
    });
    expect(check).toEqual({ ok: true });
    const body = JSON.parse(call.rawBody);
    expect(Object.keys(body).sort()).toEqual(['callbackId', 'context', 'inputFields', 'object', 'origin']);
    expect(body).toMatchObject({
      callbackId: execution.callbackId,
      origin: { portalId },
      context: { source: 'WORKFLOWS' },
      object: { objectId: Number(dealId), objectType: 'DEAL' },
      inputFields: { document_type: 'invoice' },
    });
    expect(typeof body.origin.actionDefinitionId).toBe('number');
    expect(execution.state).toBe('BLOCKED');
    expect(execution.expiresAt).toBe(nowMs + 3_600_000);
  });

  it('runs only what the definition allows: declared inputs, allowed options, existing deals', async () => {
    const portalId = sandbox.options.demoPortalId;
    await expect(sandbox.runWorkflowAction(portalId, deal(), { document_type: 'credit_note' })).rejects.toThrow(/must be one of invoice, quote/);
    await expect(sandbox.runWorkflowAction(portalId, deal(), {})).rejects.toThrow(/document_type is required/);
    await expect(sandbox.runWorkflowAction(portalId, deal(), { document_type: 'invoice', priority: 'high' })).rejects.toThrow(/not declared/);
    await expect(sandbox.runWorkflowAction(portalId, '99999', { document_type: 'invoice' })).rejects.toThrow(/does not exist/);
    expect(received).toHaveLength(0);
  });

  it('takes a synchronous answer as the outputs, and a 5xx as a call to retry with the same callbackId', async () => {
    const portalId = sandbox.options.demoPortalId;
    answer = { status: 503, body: { error: 'busy' } };
    const execution = await sandbox.runWorkflowAction(portalId, deal(), { document_type: 'quote' });
    expect(execution.state).toBe('RETRY_PENDING');
    answer = { status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS', document_number: 'AN-1007' } } };
    await sandbox.redeliverWorkflowAction(execution.callbackId);
    expect(execution.state).toBe('SUCCEEDED');
    expect(execution.outputFields).toEqual({ hs_execution_state: 'SUCCESS', document_number: 'AN-1007' });
    expect(new Set(received.map((r) => JSON.parse(r.rawBody).callbackId))).toEqual(new Set([execution.callbackId]));
  });
});

describe('the callbacks API', () => {
  async function blocked() {
    return sandbox.runWorkflowAction(sandbox.options.demoPortalId, deal(), { document_type: 'invoice' });
  }
  const complete = (token: string, callbackId: string, body: unknown) =>
    request(sandbox.app)
      .post(`/automation/v4/actions/callbacks/${callbackId}/complete`)
      .set('authorization', `Bearer ${token}`)
      .send(body as object);

  it('completes a blocked execution once (204), with the automation scope', async () => {
    const execution = await blocked();
    const { accessToken } = sandbox.installDemoPortal();
    const outputs = { hs_execution_state: 'SUCCESS', document_number: 'RE-1001' };
    const done = await complete(accessToken, execution.callbackId, { outputFields: outputs, typedOutputs: {} });
    expect(done.status).toBe(204);
    expect(execution.state).toBe('COMPLETED');
    expect(execution.outputFields).toEqual(outputs);
    const again = await complete(accessToken, execution.callbackId, { outputFields: outputs, typedOutputs: {} });
    expect(again.status).toBe(400);
    expect(execution.completions.map((c) => c.accepted)).toEqual([true, false]);
  });

  it('refuses a token without the automation scope, another portal, a body without typedOutputs and an expired execution', async () => {
    const execution = await blocked();
    const noAutomation = sandbox.issuePrivateAppToken();
    const refused = await complete(noAutomation, execution.callbackId, { outputFields: {}, typedOutputs: {} });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ category: 'MISSING_SCOPES' });

    const other = sandbox.installDemoPortal(11_223_344);
    expect((await complete(other.accessToken, execution.callbackId, { outputFields: {}, typedOutputs: {} })).status).toBe(404);

    const { accessToken } = sandbox.installDemoPortal();
    expect((await complete(accessToken, execution.callbackId, { outputFields: { hs_execution_state: 'SUCCESS' } })).status).toBe(400);
    expect((await complete(accessToken, execution.callbackId, { outputFields: { document_number: 1001 }, typedOutputs: {} })).status).toBe(400);

    nowMs += 2 * 3_600_000;
    const late = await complete(sandbox.installDemoPortal().accessToken, execution.callbackId, {
      outputFields: { hs_execution_state: 'SUCCESS' },
      typedOutputs: {},
    });
    expect(late.status).toBe(400);
    expect(execution.state).toBe('EXPIRED');
  });

  it('reads ISO 8601 expiration durations as HubSpot takes them', () => {
    expect(durationMs('P1D')).toBe(86_400_000);
    expect(durationMs('P1WT1H')).toBe(7 * 86_400_000 + 3_600_000);
    expect(durationMs('PT30M')).toBe(1_800_000);
    expect(durationMs('1 day')).toBeUndefined();
    expect(durationMs('PT')).toBeUndefined();
  });
});

describe('notes', () => {
  const post = (token: string, body: unknown) =>
    request(sandbox.app)
      .post('/crm/v3/objects/notes')
      .set('authorization', `Bearer ${token}`)
      .send(body as object);
  const onDeal = (dealId: string, typeId = 214) => [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] }];

  it('creates a note on a deal (201, SimplePublicObject) with hs_timestamp in ms or ISO', async () => {
    const { accessToken, portalId } = sandbox.installDemoPortal();
    const dealId = deal();
    const created = await post(accessToken, {
      properties: { hs_timestamp: String(nowMs), hs_note_body: '<p>Rechnung RE-1001 erstellt.</p>' },
      associations: onDeal(dealId),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      archived: false,
      properties: { hs_timestamp: new Date(nowMs).toISOString(), hs_note_body: '<p>Rechnung RE-1001 erstellt.</p>' },
    });
    const iso = await post(accessToken, { properties: { hs_timestamp: '2026-12-02T10:00:00.000Z', hs_note_body: 'bezahlt' }, associations: onDeal(dealId) });
    expect(iso.status).toBe(201);
    expect(sandbox.notesOf(portalId, dealId).map((n) => n.properties.hs_note_body)).toEqual(['<p>Rechnung RE-1001 erstellt.</p>', 'bezahlt']);
  });

  it('refuses a note without hs_timestamp, on a deal that does not exist, or with another association type', async () => {
    const { accessToken, portalId } = sandbox.installDemoPortal();
    const dealId = deal();
    expect((await post(accessToken, { properties: { hs_note_body: 'x' }, associations: onDeal(dealId) })).status).toBe(400);
    expect((await post(accessToken, { properties: { hs_timestamp: String(nowMs), hs_note_body: 'x' }, associations: onDeal('424242') })).status).toBe(400);
    expect((await post(accessToken, { properties: { hs_timestamp: String(nowMs), hs_note_body: 'x' }, associations: onDeal(dealId, 3) })).status).toBe(400);
    expect((await post(accessToken, { properties: { hs_timestamp: String(nowMs), hs_note_body: 'x' } })).status).toBe(400);
    expect(sandbox.notesOf(portalId, dealId)).toEqual([]);
  });
});
