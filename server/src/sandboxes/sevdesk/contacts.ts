/** sevDesk emulator routes for contacts and their addresses and communication ways (accounting.md §2.3, SVS Contact tags). */
import { Router } from 'express';
import { page } from './paging';
import { addressJson, contactJson, wayJson } from './responses';
import type { SevdeskStore, StoredContact } from './store';
import {
  SevdeskHttpError,
  addressCreateSchema,
  addressUpdateSchema,
  contactCreateSchema,
  contactUpdateSchema,
  parseOr400,
  wayCreateSchema,
  wayUpdateSchema,
} from './validation';

const isPerson = (c: StoredContact) => Boolean(c.surename || c.familyname);

export function contactRoutes(store: SevdeskStore): Router {
  const router = Router();
  const existingContact = (id: string, status = 400) => {
    const contact = store.contacts.get(id);
    if (!contact) throw new SevdeskHttpError(status, `Contact with id ${id} not found`);
    return contact;
  };

  /** Without `depth=1` only organisations come back (§2.3); `name` matches name, surename or familyname (SVS Contact filters). */
  router.get('/Contact', (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name.toLowerCase() : undefined;
    const updateAfter = req.query.updateAfter === undefined ? undefined : Number(req.query.updateAfter);
    const items = [...store.contacts.values()].filter(
      (c) =>
        (req.query.depth === '1' || !isPerson(c)) &&
        (!name || [c.name, c.surename, c.familyname].some((v) => v?.toLowerCase().includes(name))) &&
        (req.query.customerNumber === undefined || c.customerNumber === req.query.customerNumber) &&
        (updateAfter === undefined || Math.floor(c.updatedMs / 1000) > updateAfter),
    );
    res.json({ objects: page(req, items).map(contactJson) });
  });

  router.post('/Contact', (req, res) => {
    const body = parseOr400(contactCreateSchema, req.body);
    if (body.parent) existingContact(body.parent.id);
    const now = store.timestamp();
    const contact: StoredContact = {
      id: store.newId(),
      name: body.name ?? undefined,
      surename: body.surename ?? undefined,
      familyname: body.familyname ?? undefined,
      titel: body.titel ?? undefined,
      description: body.description ?? undefined,
      name2: body.name2 ?? undefined,
      customerNumber: body.customerNumber ?? undefined,
      vatNumber: body.vatNumber ?? undefined,
      buyerReference: body.buyerReference ?? undefined,
      categoryId: body.category.id,
      parentId: body.parent?.id,
      status: String(body.status ?? 100),
      createdMs: now,
      updatedMs: now,
    };
    store.contacts.set(contact.id, contact);
    res.status(201).json(contactJson(contact));
  });

  /** SVS `getContactById` answers an unknown id with 400 "Contact was not found". */
  router.get('/Contact/:id', (req, res) => {
    res.json({ objects: [contactJson(existingContact(req.params.id))] });
  });

  router.put('/Contact/:id', (req, res) => {
    const contact = existingContact(req.params.id);
    const body = parseOr400(contactUpdateSchema, req.body);
    for (const key of ['name', 'surename', 'familyname', 'titel', 'description', 'name2', 'customerNumber', 'vatNumber', 'buyerReference'] as const) {
      if (body[key] !== undefined) contact[key] = body[key] ?? undefined;
    }
    if (body.category) contact.categoryId = body.category.id;
    if (body.parent !== undefined) contact.parentId = body.parent?.id;
    contact.updatedMs = store.timestamp();
    res.json(contactJson(contact));
  });

  /** 409 while documents or persons still reference the contact (§2.3, §8.3: our reading of the conflict). */
  router.delete('/Contact/:id', (req, res) => {
    existingContact(req.params.id);
    if (store.isContactReferenced(req.params.id)) throw new SevdeskHttpError(409, 'Contact is still referenced and cannot be deleted');
    store.contacts.delete(req.params.id);
    for (const [id, a] of store.addresses) if (a.contactId === req.params.id) store.addresses.delete(id);
    for (const [id, w] of store.ways) if (w.contactId === req.params.id) store.ways.delete(id);
    res.json({ objects: [null] });
  });

  router.get('/ContactAddress', (req, res) => {
    const contactId = req.query['contact[id]'];
    const items = [...store.addresses.values()].filter((a) => contactId === undefined || a.contactId === contactId);
    res.json({ objects: page(req, items).map(addressJson) });
  });

  router.post('/ContactAddress', (req, res) => {
    const body = parseOr400(addressCreateSchema, req.body);
    existingContact(body.contact.id);
    const now = store.timestamp();
    const address = {
      id: store.newId(),
      contactId: body.contact.id,
      street: body.street ?? undefined,
      zip: body.zip ?? undefined,
      city: body.city ?? undefined,
      countryId: body.country.id,
      categoryId: body.category.id,
      createdMs: now,
      updatedMs: now,
    };
    store.addresses.set(address.id, address);
    res.status(201).json(addressJson(address));
  });

  /**
   * SVS `updateContactAddress` declares 201 for an update. Only the address's own `update` moves:
   * that sevDesk also bumps `Contact.update` when an address or communication way changes is
   * documented nowhere (SVS gives each model its own `create`/`update`), so the emulator does not.
   */
  router.put('/ContactAddress/:id', (req, res) => {
    const address = store.addresses.get(req.params.id);
    if (!address) throw new SevdeskHttpError(400, `ContactAddress with id ${req.params.id} not found`);
    const body = parseOr400(addressUpdateSchema, req.body);
    for (const key of ['street', 'zip', 'city'] as const) if (body[key] !== undefined) address[key] = body[key] ?? undefined;
    if (body.country) address.countryId = body.country.id;
    if (body.category) address.categoryId = body.category.id;
    address.updatedMs = store.timestamp();
    res.status(201).json(addressJson(address));
  });

  router.get('/CommunicationWay', (req, res) => {
    const { type, main } = req.query;
    const contactId = req.query['contact[id]'];
    const items = [...store.ways.values()].filter(
      (w) =>
        (contactId === undefined || w.contactId === contactId) &&
        (type === undefined || w.type === type) &&
        (main === undefined || (w.main ? '1' : '0') === main),
    );
    res.json({ objects: page(req, items).map(wayJson) });
  });

  router.post('/CommunicationWay', (req, res) => {
    const body = parseOr400(wayCreateSchema, req.body);
    existingContact(body.contact.id);
    const now = store.timestamp();
    const way = {
      id: store.newId(),
      contactId: body.contact.id,
      type: body.type,
      value: body.value,
      keyId: body.key.id,
      main: body.main ?? false,
      createdMs: now,
      updatedMs: now,
    };
    store.ways.set(way.id, way);
    res.status(201).json(wayJson(way));
  });

  /** Only the way's own `update` moves, not `Contact.update` (see `PUT /ContactAddress/:id`). */
  router.put('/CommunicationWay/:id', (req, res) => {
    const way = store.ways.get(req.params.id);
    if (!way) throw new SevdeskHttpError(400, `CommunicationWay with id ${req.params.id} not found`);
    const body = parseOr400(wayUpdateSchema, req.body);
    if (body.value !== undefined) way.value = body.value;
    if (body.type) way.type = body.type;
    if (body.main !== undefined) way.main = body.main ?? false;
    way.updatedMs = store.timestamp();
    res.json(wayJson(way));
  });

  return router;
}
