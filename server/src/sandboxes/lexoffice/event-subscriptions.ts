/**
 * `/v1/event-subscriptions` of the Lexware emulator (operationIds listEventSubscriptions,
 * createEventSubscription, getEventSubscription, deleteEventSubscription; accounting.md §1.8):
 * regular error family, create answers an action result keyed `id`, reads are keyed `subscriptionId`.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { lexTimestamp } from './clock';
import type { LexofficeEventHub, StoredSubscription } from './events';
import { sendRegular } from './responses';
import { eventSubscriptionCreateSchema, problemsOf, type FieldProblem } from './validation';

const validationMessage = 'Validation failed for request. Please see details list for specific causes.';
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Lexware HEAD-probes the callback URL's TLS certificate and answers 406 when that fails (§1.8), so
 * plain http never passes there. The sandbox skips the probe and allows http on loopback only, where
 * local receivers (tests, `npm start`) have no certificate.
 */
function callbackProblem(callbackUrl: string): FieldProblem | undefined {
  const url = new URL(callbackUrl);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname))) return undefined;
  return { field: 'callbackUrl', missing: false, message: 'callbackUrl must be an https URL' };
}

function render({ createdAtMs, ...rest }: StoredSubscription) {
  return { ...rest, createdDate: lexTimestamp(createdAtMs) };
}

export function eventSubscriptionRoutes(hub: LexofficeEventHub, organizationId: string, now: () => number): Router {
  const router = Router();
  const base = '/v1/event-subscriptions';
  const fail = (req: Request, res: Response, status: number, message: string, problems: FieldProblem[] = []) =>
    sendRegular(res, status, req.path, message, problems, now());

  router.get(base, (_req, res) => {
    res.json({ content: [...hub.subscriptions.values()].map(render) });
  });

  router.post(base, (req, res) => {
    const parsed = eventSubscriptionCreateSchema.safeParse(req.body ?? {});
    if (!parsed.success) return fail(req, res, 406, validationMessage, problemsOf(parsed.error));
    const problem = callbackProblem(parsed.data.callbackUrl);
    if (problem) return fail(req, res, 406, validationMessage, [problem]);
    const { eventType, callbackUrl } = parsed.data;
    // §1.8: the same type and URL again is a conflict, not a second subscription.
    if ([...hub.subscriptions.values()].some((s) => s.eventType === eventType && s.callbackUrl === callbackUrl)) {
      return fail(req, res, 409, `subscription for ${eventType} and this callbackUrl already exists`);
    }
    const subscription: StoredSubscription = { subscriptionId: randomUUID(), organizationId, createdAtMs: now(), eventType, callbackUrl };
    hub.subscriptions.set(subscription.subscriptionId, subscription);
    const at = lexTimestamp(subscription.createdAtMs);
    const resourceUri = `${req.protocol}://${req.get('host')}${base}/${subscription.subscriptionId}`;
    // docs2025 (24.06.2024): 201 carries a Location header.
    res.status(201).location(resourceUri).json({ id: subscription.subscriptionId, resourceUri, createdDate: at, updatedDate: at, version: 0 });
  });

  router.get(`${base}/:id`, (req, res) => {
    const subscription = hub.subscriptions.get(req.params.id);
    if (!subscription) return fail(req, res, 404, 'event subscription not found');
    res.json(render(subscription));
  });

  router.delete(`${base}/:id`, (req, res) => {
    if (!hub.subscriptions.delete(req.params.id)) return fail(req, res, 404, 'event subscription not found');
    res.status(204).send();
  });

  return router;
}
