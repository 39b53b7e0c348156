/** `/v1/contacts` of the Lexware emulator (operationIds listContacts, createContact, getContact, updateContact). */
import { contactXRechnungProblems } from './einvoice';
import { Router, type Request } from 'express';
import { lexTimestamp } from './clock';
import type { LexofficeStore, StoredContact } from './store';
import { sendLegacy, sendLegacyValidation } from './responses';
import { contactWriteSchema, problemsOf } from './validation';

/** `_` one character, `%` any run, `\` escapes; `&amp;` etc. arrive HTML-encoded (accounting.md §1.9 Contacts). */
function filterPattern(value: string): RegExp {
  const decoded = value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let source = '';
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded[i];
    if (c === '\\' && i + 1 < decoded.length) source += decoded[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '_') source += '.';
    else if (c === '%') source += '.*';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(source, 'i');
}

function namesOf(c: StoredContact): string[] {
  if (c.company) return [c.company.name];
  return [c.person?.lastName ?? '', [c.person?.firstName, c.person?.lastName].filter(Boolean).join(' ')];
}

function emailsOf(c: StoredContact): string[] {
  return [...Object.values(c.emailAddresses ?? {}).flat(), ...(c.company?.contactPersons ?? []).map((p) => p.emailAddress ?? '')].filter((e): e is string =>
    Boolean(e),
  );
}

export function contactRoutes(store: LexofficeStore, now: () => number): Router {
  const router = Router();
  const badRequest = (res: Parameters<typeof sendLegacy>[0], source: string) =>
    sendLegacy(res, 400, [{ i18nKey: 'bad_request_error', source, type: 'bad_request_error' }]);
  const actionResult = (req: Request, c: StoredContact) => ({
    id: c.id,
    resourceUri: `${req.protocol}://${req.get('host')}/v1/contacts/${c.id}`,
    createdDate: lexTimestamp(now()),
    updatedDate: lexTimestamp(now()),
    version: c.version,
  });

  router.get('/v1/contacts', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    for (const key of ['name', 'email'] as const) if (q[key] !== undefined && q[key].length < 3) return badRequest(res, key);
    const page = q.page === undefined ? 0 : Number(q.page);
    const size = q.size === undefined ? 25 : Number(q.size);
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1 || size > 250) return badRequest(res, 'size');
    const flag = (v: string | undefined) => (v === undefined ? undefined : v === 'true');
    const name = q.name === undefined ? undefined : filterPattern(q.name);
    const email = q.email === undefined ? undefined : filterPattern(q.email);
    const all = [...store.contacts.values()]
      .filter((c) => !name || namesOf(c).some((n) => name.test(n)))
      .filter((c) => !email || emailsOf(c).some((e) => email.test(e)))
      .filter((c) => q.number === undefined || c.roles.customer?.number === Number(q.number) || c.roles.vendor?.number === Number(q.number))
      .filter((c) => flag(q.customer) === undefined || Boolean(c.roles.customer) === flag(q.customer))
      .filter((c) => flag(q.vendor) === undefined || Boolean(c.roles.vendor) === flag(q.vendor))
      .sort((a, b) => namesOf(a)[0].localeCompare(namesOf(b)[0]));
    const content = all.slice(page * size, page * size + size);
    const totalPages = Math.max(1, Math.ceil(all.length / size));
    res.json({
      content,
      first: page === 0,
      last: page >= totalPages - 1,
      totalPages,
      totalElements: all.length,
      numberOfElements: content.length,
      size,
      number: page,
      sort: [{ direction: 'ASC', property: 'name', ignoreCase: false, nullHandling: 'NATIVE', ascending: true }],
    });
  });

  router.post('/v1/contacts', (req, res) => {
    const parsed = contactWriteSchema.safeParse(req.body);
    if (!parsed.success) return sendLegacyValidation(res, problemsOf(parsed.error));
    if (parsed.data.version !== 0) return sendLegacyValidation(res, [{ field: 'version', missing: false, message: 'must be 0' }]);
    const xRechnung = contactXRechnungProblems(parsed.data.xRechnung);
    if (xRechnung.length > 0) return sendLegacyValidation(res, xRechnung);
    // LX26 LIVE_FINDINGS §2.1: contacts answer 200 on create (invoices 201).
    res.status(200).json(actionResult(req, store.createContact(parsed.data)));
  });

  router.get('/v1/contacts/:id', (req, res) => {
    const contact = store.contacts.get(req.params.id);
    if (!contact) return sendLegacy(res, 404, [{ i18nKey: 'missing_entity', source: 'id', type: 'not_found' }]);
    res.json(contact);
  });

  router.put('/v1/contacts/:id', (req, res) => {
    const contact = store.contacts.get(req.params.id);
    if (!contact) return sendLegacy(res, 404, [{ i18nKey: 'missing_entity', source: 'id', type: 'not_found' }]);
    const parsed = contactWriteSchema.safeParse(req.body);
    if (!parsed.success) return sendLegacyValidation(res, problemsOf(parsed.error));
    // Observed live (LX26 LIVE_FINDINGS §2.2): a stale version is a 406 on `version`, not the documented 409.
    if (parsed.data.version !== contact.version) return sendLegacyValidation(res, [{ field: 'version', missing: false, message: 'stale version' }]);
    const xRechnung = contactXRechnungProblems(parsed.data.xRechnung);
    if (xRechnung.length > 0) return sendLegacyValidation(res, xRechnung);
    res.status(200).json(actionResult(req, store.updateContact(contact, parsed.data)));
  });

  return router;
}
