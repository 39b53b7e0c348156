/**
 * Qonto's documented answers (server/test/recorded/qonto/*.json, each with its source): our client's
 * schemas must accept every one, and the sandbox's answer to the same call must have the same keys,
 * JSON types and nulls. Where a recording is cut off in every stored copy (`truncated`), only the
 * recorded part is checked and the keys after the cut are named, with the reason, in the options.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  qontoClientListSchema,
  qontoClientResponseSchema,
  qontoCreditNoteResponseSchema,
  qontoErrorBodySchema,
  qontoInvoiceSchema,
} from '../../src/accounting/qonto/schemas';
import { qontoInvoiceWebhookSchema, qontoSignatureHeader, verifyQontoWebhook } from '../../src/accounting/qonto/webhooks';
import { createqontoSandbox, type qontoSandbox } from '../../src/sandboxes/qonto/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { compareShape, type ShapeOptions } from '../helpers/shape';

interface Recorded {
  source: string;
  note: string;
  truncated?: boolean;
  request?: { method: string; path: string; body?: Record<string, unknown> };
  response?: { status: number; body: unknown };
  webhook?: { headers?: Record<string, string>; body: unknown };
}

const dir = join(__dirname, 'qonto');
const recorded = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recorded]),
);
const today = Date.parse('2026-03-02T09:00:00Z');
const webhookSecret = 'whsec-apiup-recorded-0123456789abcdef';

/** A truncated invoice recording: every key it does show must have the type our schema expects. */
const recordedPartOfInvoice = z.object({
  client_invoice: qontoInvoiceSchema.partial().extend({ items: z.array(qontoInvoiceSchema.shape.items.element.partial()) }),
});

/** Which of our schemas reads each recorded body. */
const ourSchema: Record<string, z.ZodType> = {
  'create-client': qontoClientResponseSchema,
  'get-client': qontoClientResponseSchema,
  'list-clients': qontoClientListSchema,
  'create-invoice': recordedPartOfInvoice,
  'get-invoice': recordedPartOfInvoice,
  'error-validation': qontoErrorBodySchema,
  'webhook-client-invoices': qontoInvoiceWebhookSchema,
  'get-credit-note': qontoCreditNoteResponseSchema,
};

/** Keys of the newer retrieve-a-client sample that the older list-clients sample lacks (see list-clients.json). */
const newerClientKeys = ['first_name', 'last_name', 'phone_number', 'phone', 'kind', 'extra_emails', 'currency', 'e_invoicing_address', 'updated_at'];
/** After the cut in every stored copy of the invoice sample (see get-invoice.json); stamp_duty_amount is Italian-only. */
const invoiceTail = (root: string): ShapeOptions => ({
  optionalKeys: [`${root}.stamp_duty_amount`],
  extraKeys: [
    `${root}.invoice_number`,
    `${root}.client_id`,
    `${root}.amount_paid`,
    `${root}.updated_at`,
    `${root}.items[].subtotal`,
    `${root}.items[].subtotal_cents`,
  ],
});

describe('recorded Qonto answers', () => {
  let sandbox: qontoSandbox;
  let running: RunningSandbox;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };
  const createClient = async () => (await call('POST', '/v2/clients', recorded['create-client'].request!.body)).body.client.id as string;
  const invoiceRequest = (clientId: string) => ({ ...recorded['create-invoice'].request!.body, client_id: clientId });
  const paidInvoice = async () => {
    const { body } = await call('POST', '/v2/client_invoices', invoiceRequest(await createClient()));
    const id = body.client_invoice.id as string;
    await call('POST', `/v2/client_invoices/${id}/finalize`);
    await call('GET', `/v2/client_invoices/${id}`);
    await call('POST', `/v2/client_invoices/${id}/mark_as_paid`, { paid_at: '2026-03-02' });
    return id;
  };

  beforeAll(async () => {
    sandbox = createqontoSandbox({ now: () => today });
    running = await listenSandbox(sandbox.app, 0);
  });

  afterAll(() => running.close());

  it('has a source and a note on every recording, and the exchanges the brief asks for', () => {
    expect(Object.keys(recorded).sort()).toEqual(Object.keys(ourSchema).sort());
    for (const r of Object.values(recorded)) {
      expect(r.source).toMatch(/^https:\/\/docs\.qonto\.com\//);
      expect(r.note.length).toBeGreaterThan(20);
    }
  });

  it.each(Object.keys(ourSchema))('our client reads the recorded %s', (name) => {
    const r = recorded[name];
    const parsed = ourSchema[name].safeParse(r.webhook?.body ?? r.response?.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('answers POST /v2/clients in the shape of the docs sample', async () => {
    const { status, body } = await call('POST', '/v2/clients', recorded['create-client'].request!.body);
    expect(status).toBe(recorded['create-client'].response!.status);
    expect(compareShape(recorded['create-client'].response!.body, body, { extraKeys: ['$.client.updated_at'] })).toEqual([]);
  });

  it('answers GET /v2/clients/{id} in the shape of the docs sample', async () => {
    const { status, body } = await call('GET', `/v2/clients/${await createClient()}`);
    expect(status).toBe(200);
    expect(compareShape(recorded['get-client'].response!.body, body, { extraKeys: ['$.client.updated_at'] })).toEqual([]);
  });

  it('answers a name search on GET /v2/clients in the shape of the docs sample, with its paging meta', async () => {
    await createClient();
    await createClient();
    // The sample is the last of two pages (prev_page 1, next_page null): ask for the last page too.
    const path = recorded['list-clients'].request!.path;
    const lastPage = (await call('GET', path)).body.meta.total_pages as number;
    expect(lastPage).toBeGreaterThan(1);
    const { status, body } = await call('GET', `${path}&page=${lastPage}`);
    expect(status).toBe(200);
    expect(body.clients.length).toBeGreaterThan(0);
    expect(compareShape(recorded['list-clients'].response!.body, body, { extraKeys: newerClientKeys.map((k) => `$.clients[].${k}`) })).toEqual([]);
  });

  it('answers POST /v2/client_invoices in the shape of the docs sample (a draft: no number, PDF, finalize or payment yet)', async () => {
    const { status, body } = await call('POST', '/v2/client_invoices', invoiceRequest(await createClient()));
    expect(status).toBe(recorded['create-invoice'].response!.status);
    const draftNulls = ['number', 'attachment_id', 'finalized_at', 'paid_at'].map((k) => `$.client_invoice.${k}`);
    expect(compareShape(recorded['create-invoice'].response!.body, body, { ...invoiceTail('$.client_invoice'), looseTypes: draftNulls })).toEqual([]);
    expect(body.client_invoice).toMatchObject({ number: null, attachment_id: null, finalized_at: null, paid_at: null });
  });

  it('answers GET /v2/client_invoices/{id} of a paid invoice in the shape of the docs sample', async () => {
    const { status, body } = await call('GET', `/v2/client_invoices/${await paidInvoice()}`);
    expect(status).toBe(200);
    expect(compareShape(recorded['get-invoice'].response!.body, body, invoiceTail('$.client_invoice'))).toEqual([]);
  });

  it('answers GET /v2/credit_notes/{id} of a credit note over a finalized invoice in the shape of the docs sample', async () => {
    const { body: created } = await call('POST', '/v2/client_invoices', invoiceRequest(await createClient()));
    const invoiceId = created.client_invoice.id as string;
    await call('POST', `/v2/client_invoices/${invoiceId}/finalize`);
    const { body: invoice } = await call('GET', `/v2/client_invoices/${invoiceId}`);
    const items = invoice.client_invoice.items.map((i: any) => ({
      title: i.title,
      quantity: i.quantity,
      unit_price: { value: i.unit_price.value, currency: 'EUR' },
      vat_rate: i.vat_rate,
      ...(i.vat_exemption_reason ? { vat_exemption_reason: i.vat_exemption_reason } : {}),
      ...(i.discount ? { discount: { type: i.discount.type, value: i.discount.value } } : {}),
    }));
    const made = await call('POST', '/v2/credit_notes', {
      invoice_id: invoiceId,
      issue_date: '2026-03-02',
      reason: 'Deal verloren',
      currency: 'EUR',
      items,
      terms_and_conditions: 'Storno der Rechnung.',
    });
    expect(made.status).toBe(201);
    const { status, body } = await call('GET', `/v2/credit_notes/${made.body.credit_note.id}`);
    expect(status).toBe(recorded['get-credit-note'].response!.status);
    // Set only where the organisation or the item has them: PDF not yet rendered, no header/footer, item extras.
    const unset = [
      'attachment_id',
      'header',
      'footer',
      'items[].description',
      'items[].unit',
      'items[].vat_exemption_reason',
      'items[].discount',
      'client.first_name',
      'client.last_name',
      'client.name',
    ];
    expect(compareShape(recorded['get-credit-note'].response!.body, body, { looseTypes: unset.map((k) => `$.credit_note.${k}`) })).toEqual([]);
    expect((await call('GET', `/v2/client_invoices/${invoiceId}`)).body.client_invoice.status).toBe('canceled');
  });

  it('answers a parameter outside its list with the documented error body (not_in_list on source.parameter)', async () => {
    const { status, body } = await call('GET', '/v2/clients?sort_by=amount:asc');
    expect(status).toBe(recorded['error-validation'].response!.status);
    expect(compareShape(recorded['error-validation'].response!.body, body)).toEqual([]);
    expect(body.errors[0]).toMatchObject({ code: 'not_in_list', source: { parameter: 'sort_by' } });
  });

  describe('v1/client-invoices delivery', () => {
    let receiver: Server;
    let deliveries: Array<{ raw: Buffer; signature?: string }>;

    beforeAll(async () => {
      deliveries = [];
      receiver = createServer((req: IncomingMessage, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          deliveries.push({ raw: Buffer.concat(chunks), signature: req.headers[qontoSignatureHeader] as string | undefined });
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });

    afterAll(() => {
      receiver.closeAllConnections();
      receiver.close();
    });

    it('is signed and has the shape of the docs sample', async () => {
      const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/qonto`;
      const subscribed = await call('POST', '/v2/webhook_subscriptions', { callback_url: callback, types: ['v1/client-invoices'], secret: webhookSecret });
      expect(subscribed.status).toBe(200);
      const id = await paidInvoice();
      await expect.poll(() => deliveries.some((d) => JSON.parse(d.raw.toString()).data.status === 'paid')).toBe(true);
      const paid = deliveries.find((d) => JSON.parse(d.raw.toString()).data.status === 'paid')!;

      expect(verifyQontoWebhook(paid.raw, paid.signature, webhookSecret, { nowMs: today })).toEqual({ ok: true });
      const body = JSON.parse(paid.raw.toString());
      expect(body.data.id).toBe(id);
      expect(
        compareShape(recorded['webhook-client-invoices'].webhook!.body, body, {
          optionalKeys: ['$.data.stamp_duty_amount'],
          extraKeys: ['$.data.items[].subtotal'],
        }),
      ).toEqual([]);
    });
  });
});
