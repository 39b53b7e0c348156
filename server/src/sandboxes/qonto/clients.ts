/** Emulated `/v2/clients` (accounting.md §4.3; QD list-clients / create-a-client / update-a-client). */
import type { Request, Response, Router } from 'express';
import { notFound, sendQontoError, sendValidationErrors } from './errors';
import type { QontoStore, StoredClient } from './store';
import { createClientBody, patchClientBody, type ClientWriteBody } from './validation';

export function registerClientRoutes(router: Router, store: QontoStore): void {
  router.get('/v2/clients', (req, res) => {
    const name = filterParam(req, 'name');
    // QD list-clients: the name filter needs 2 characters at least.
    if (name !== undefined && name.length < 2) {
      return sendQontoError(res, 422, 'invalid', 'filter[name] must contain at least 2 characters', { parameter: 'filter[name]' });
    }
    const from = filterParam(req, 'updated_at_from');
    if (from !== undefined && Number.isNaN(Date.parse(from))) {
      return sendQontoError(res, 422, 'invalid', 'filter[updated_at_from] must be a date time', { parameter: 'filter[updated_at_from]' });
    }
    const exact = (field: 'email' | 'vat_number' | 'tax_identification_number') => filterParam(req, field)?.toLowerCase();
    let clients = store.listClients().filter((c) => {
      if (name !== undefined && !fold(c.name ?? '').includes(fold(name))) return false;
      if (from !== undefined && Date.parse(c.updated_at ?? c.created_at) < Date.parse(from)) return false;
      for (const field of ['email', 'vat_number', 'tax_identification_number'] as const) {
        const wanted = exact(field);
        if (wanted !== undefined && c[field]?.toLowerCase() !== wanted) return false;
      }
      return true;
    });
    const sortBy = String(req.query.sort_by ?? 'name:asc');
    const [field, order] = sortBy.split(':');
    if (!['created_at', 'updated_at', 'name'].includes(field) || !['asc', 'desc'].includes(order)) {
      return sendQontoError(res, 422, 'not_in_list', 'sort_by must be one of created_at, updated_at, name with :asc or :desc', { parameter: 'sort_by' });
    }
    clients = clients.sort(
      (a, b) => compare(String(a[field as keyof StoredClient] ?? ''), String(b[field as keyof StoredClient] ?? '')) * (order === 'asc' ? 1 : -1),
    );
    const page = paginate(req, res, clients.length);
    if (!page) return;
    res.json({ clients: clients.slice(page.start, page.end), meta: page.meta });
  });

  router.post('/v2/clients', (req, res) => {
    const parsed = createClientBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    const now = store.isoNow();
    const kind = parsed.data.kind ?? parsed.data.type!;
    const client = toStoredClient(emptyClient(store.newId(), kind, now), parsed.data);
    store.clients.set(client.id, client);
    res.json({ client });
  });

  router.get('/v2/clients/:id', (req, res) => {
    const client = store.clients.get(req.params.id);
    return client ? res.json({ client }) : notFound(res, 'Client');
  });

  router.patch('/v2/clients/:id', (req, res) => {
    const client = store.clients.get(req.params.id);
    if (!client) return notFound(res, 'Client');
    const parsed = patchClientBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    const updated = toStoredClient({ ...client, kind: parsed.data.kind ?? parsed.data.type ?? client.kind, updated_at: store.isoNow() }, parsed.data);
    store.clients.set(updated.id, updated);
    res.json({ client: updated });
  });

  router.delete('/v2/clients/:id', (req, res) => {
    if (!store.clients.delete(req.params.id)) return notFound(res, 'Client');
    res.status(204).end();
  });
}

function emptyClient(id: string, kind: StoredClient['kind'], now: string): StoredClient {
  return {
    id,
    name: null,
    first_name: null,
    last_name: null,
    phone_number: null,
    phone: null,
    kind,
    type: kind,
    email: null,
    extra_emails: [],
    currency: null,
    e_invoicing_address: null,
    vat_number: null,
    tax_identification_number: null,
    address: null,
    city: null,
    zip_code: null,
    province_code: null,
    country_code: null,
    billing_address: null,
    delivery_address: null,
    recipient_code: null,
    created_at: now,
    updated_at: now,
    locale: null,
  };
}

/**
 * Merges a write body into the stored client. A person's `name` is "first_name last_name" (QD list-clients);
 * the deprecated root address fields repeat `billing_address` (both appear in the QD retrieve-a-client sample).
 */
function toStoredClient(base: StoredClient, body: ClientWriteBody): StoredClient {
  const { kind: _kind, type: _type, e_invoicing_address, recipient_code, ...fields } = body;
  const merged: StoredClient = { ...base, ...fields };
  if (typeof e_invoicing_address === 'string') merged.e_invoicing_address = e_invoicing_address;
  if (typeof recipient_code === 'string') merged.recipient_code = recipient_code;
  merged.type = merged.kind;
  if (merged.kind !== 'company') merged.name = [merged.first_name, merged.last_name].filter(Boolean).join(' ');
  merged.phone_number = merged.phone ? `${merged.phone.country_code}${merged.phone.number}` : null;
  if (fields.billing_address) merged.billing_address = fullAddress(fields.billing_address);
  if (fields.delivery_address) merged.delivery_address = fullAddress(fields.delivery_address);
  const billing = merged.billing_address;
  merged.address = billing?.street_address ?? null;
  merged.city = billing?.city ?? null;
  merged.zip_code = billing?.zip_code ?? null;
  merged.province_code = billing?.province_code ?? null;
  merged.country_code = billing?.country_code ?? null;
  return merged;
}

/** Every address key is answered, null when not sent (QD retrieve-a-client sample). */
function fullAddress(sent: NonNullable<ClientWriteBody['billing_address']>): NonNullable<StoredClient['billing_address']> {
  return {
    street_address: sent.street_address ?? null,
    city: sent.city ?? null,
    zip_code: sent.zip_code ?? null,
    province_code: sent.province_code ?? null,
    country_code: sent.country_code,
  };
}

function filterParam(req: Request, name: string): string | undefined {
  const flat = req.query[`filter[${name}]`];
  const nested = (req.query.filter as Record<string, unknown> | undefined)?.[name];
  const value = flat ?? nested;
  return typeof value === 'string' ? value : undefined;
}

/** Case- and accent-insensitive, as QD list-clients describes the name filter. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `page` / `per_page` with the paging meta of §4.2; per_page is 1..100. */
export function paginate(req: Request, res: Response, total: number) {
  const page = Number(req.query.page ?? 1);
  const perPage = Number(req.query.per_page ?? 100);
  if (!Number.isInteger(page) || page < 1) return void sendQontoError(res, 422, 'invalid', 'page must be a positive integer', { parameter: 'page' });
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return void sendQontoError(res, 422, 'invalid', 'per_page must be between 1 and 100', { parameter: 'per_page' });
  }
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  return {
    start,
    end: start + perPage,
    meta: {
      current_page: page,
      next_page: page < totalPages ? page + 1 : null,
      prev_page: page > 1 ? page - 1 : null,
      total_pages: totalPages,
      total_count: total,
      per_page: perPage,
    },
  };
}
