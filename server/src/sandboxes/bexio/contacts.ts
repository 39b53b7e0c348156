/** bexio `/2.0/contact` routes (accounting.md §3.3; spec operations v2ListContacts … v2DeleteContact). */
import { Router, type Request, type Response } from 'express';
import { matches, parseBody, sendError, sendPage } from './http';
import { renderContact } from './render';
import type { BexioStore, StoredContact } from './store';
import { contactWriteSchema, searchableFields, searchSchema } from './validation';

const orderable = ['id', 'nr', 'name_1', 'updated_at'] as const;

export function contactRoutes(store: BexioStore): Router {
  const router = Router();
  // `show_archived=true`: "Show archived elements only" (components.parameters.ShowArchived).
  const visible = (req: Request) => {
    const archived = req.query.show_archived === 'true';
    return [...store.contacts.values()].filter((c) => c.isDeleted === archived).map((c) => renderContact(c));
  };

  router.get('/2.0/contact', (req, res) => sendPage(req, res, visible(req), orderable));

  router.post('/2.0/contact/search', (req, res) => {
    const criteria = parseBody(searchSchema, req, res);
    if (!criteria) return;
    const bad = criteria.find((c) => !(searchableFields.contact as readonly string[]).includes(c.field));
    if (bad) return sendError(res, 422, `field ${bad.field} is not searchable`);
    sendPage(
      req,
      res,
      visible(req).filter((row) => matches(row, criteria)),
      orderable,
    );
  });

  router.get('/2.0/contact/:id', (req, res) => {
    const contact = find(store, req, res, req.query.show_archived === 'true');
    if (contact) res.json(renderContact(contact, true));
  });

  router.post('/2.0/contact', (req, res) => {
    const body = parseWrite(store, req, res);
    if (body) res.status(201).json(renderContact(store.createContact(body), true));
  });

  // Edit is POST (PATCH/PUT are not routes here, as on bexio: §3.3, §5).
  router.post('/2.0/contact/:id', (req, res) => {
    const contact = find(store, req, res);
    if (!contact) return;
    const body = parseWrite(store, req, res);
    if (body) res.json(renderContact(store.editContact(contact, body), true));
  });

  router.delete('/2.0/contact/:id', (req, res) => {
    const contact = find(store, req, res);
    if (!contact) return;
    store.deleteContact(contact);
    res.json({ success: true });
  });

  return router;
}

function find(store: BexioStore, req: Request, res: Response, includeDeleted = false): StoredContact | undefined {
  const contact = store.contacts.get(Number(req.params.id));
  if (!contact || (contact.isDeleted && !includeDeleted)) {
    sendError(res, 404, 'Contact not found');
    return undefined;
  }
  return contact;
}

/** Schema, then the references a real account would check: the user and the country must exist. */
function parseWrite(store: BexioStore, req: Request, res: Response): Record<string, unknown> | undefined {
  const body = parseBody(contactWriteSchema, req, res);
  if (!body) return undefined;
  if (body.user_id !== store.user.id || body.owner_id !== store.user.id) return void sendError(res, 422, 'user_id/owner_id: unknown user');
  if (body.country_id != null && !store.countries.some((c) => c.id === body.country_id)) return void sendError(res, 422, 'country_id: unknown country');
  return body;
}
