/**
 * bexio `/2.0/contact_relation` routes: two contacts linked, `contact_id` and `contact_sub_id`, with a free
 * `description` (docs.bexio.com "Contact Relations": v2ListContactRelations, v2CreateContactRelation,
 * v2SearchContactRelations, v2ShowContactRelation, v2EditContactRelation, v2DeleteContactRelation; saved text of
 * 2024: gigerIT/bexio-api-client `docs/Bexio API Description.md`). The docs' 201 sample of "Create contact relation"
 * shows a contact body, a copy error on that page: a live create answers with the relation, and a missing relation
 * is a 404 "Page not found" (server/test/recorded/bexio/create-contact-relation.json, get-contact-relation-404.json).
 */
import { Router, type Request, type Response } from 'express';
import { matches, parseBody, sendError, sendPage } from './http';
import type { BexioStore, StoredRelation } from './store';
import { relationWriteSchema, searchableFields, searchSchema } from './validation';

const orderable = ['id', 'contact_id', 'contact_sub_id', 'updated_at'] as const;

export function relationRoutes(store: BexioStore): Router {
  const router = Router();
  const rows = () => [...store.relations.values()].map(render);

  router.get('/2.0/contact_relation', (req, res) => sendPage(req, res, rows(), orderable));

  router.post('/2.0/contact_relation/search', (req, res) => {
    const criteria = parseBody(searchSchema, req, res);
    if (!criteria) return;
    const bad = criteria.find((c) => !(searchableFields.contact_relation as readonly string[]).includes(c.field));
    if (bad) return sendError(res, 422, `field ${bad.field} is not searchable`);
    sendPage(
      req,
      res,
      rows().filter((row) => matches(row, criteria)),
      orderable,
    );
  });

  router.get('/2.0/contact_relation/:id', (req, res) => {
    const relation = find(store, req, res);
    if (relation) res.json(render(relation));
  });

  router.post('/2.0/contact_relation', (req, res) => {
    const body = parseWrite(store, req, res);
    if (body) res.status(201).json(render(store.createRelation(body)));
  });

  router.post('/2.0/contact_relation/:id', (req, res) => {
    const relation = find(store, req, res);
    if (!relation) return;
    const body = parseWrite(store, req, res);
    if (body) res.json(render(store.editRelation(relation, body)));
  });

  // "This action permanently deletes a contact relation. It cannot be undone." → `{ "success": true }`.
  router.delete('/2.0/contact_relation/:id', (req, res) => {
    const relation = find(store, req, res);
    if (!relation) return;
    store.relations.delete(relation.id);
    res.json({ success: true });
  });

  return router;
}

function render(r: StoredRelation) {
  return { id: r.id, contact_id: r.contact_id, contact_sub_id: r.contact_sub_id, description: r.description, updated_at: r.updated_at };
}

function find(store: BexioStore, req: Request, res: Response): StoredRelation | undefined {
  const relation = store.relations.get(Number(req.params.id));
  if (!relation) sendError(res, 404, 'Page not found');
  return relation;
}

/** Schema, then the references a real account would check: both contacts must exist (a contact related to itself is refused too: UNCONFIRMED). */
function parseWrite(store: BexioStore, req: Request, res: Response): Omit<StoredRelation, 'id' | 'updated_at'> | undefined {
  const body = parseBody(relationWriteSchema, req, res);
  if (!body) return undefined;
  for (const key of ['contact_id', 'contact_sub_id'] as const) {
    const id = body[key];
    const contact = id === null ? undefined : store.contacts.get(id);
    if (id !== null && (!contact || contact.isDeleted))
      return void sendError(res, 422, `The form could not be saved due to the following errors: ${key}: unknown contact.`);
  }
  if (body.contact_id !== null && body.contact_id === body.contact_sub_id)
    return void sendError(res, 422, 'The form could not be saved due to the following errors: contact_sub_id: must differ from contact_id.');
  return { contact_id: body.contact_id, contact_sub_id: body.contact_sub_id, description: body.description ?? '' };
}
