/**
 * HubSpot webhook events (hubspot.md §5): the shape we accept, how duplicates are recognised, and
 * which events our own writes caused.
 */
import { z } from 'zod';

const id = z.union([z.number(), z.string()]).transform(String);

export const HubspotEventSchema = z
  .object({
    eventId: id,
    subscriptionId: id,
    portalId: id,
    appId: id.optional(),
    occurredAt: z.number().int(),
    /** Classic events say `subscriptionType`; some doc tables call it `eventType`. */
    subscriptionType: z.string().min(1).optional(),
    eventType: z.string().min(1).optional(),
    attemptNumber: z.number().int().optional(),
    objectId: id.optional(),
    objectTypeId: z.string().optional(),
    changeSource: z.string().optional(),
    sourceId: z.string().optional(),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
    changeFlag: z.string().optional(),
    primaryObjectId: id.optional(),
    mergedObjectIds: z.array(id).optional(),
    newObjectId: id.optional(),
  })
  .loose()
  .refine((e) => e.subscriptionType ?? e.eventType, { message: 'subscriptionType is required' })
  .transform((e) => ({ ...e, subscriptionType: (e.subscriptionType ?? e.eventType) as string }));

export type HubspotEvent = z.output<typeof HubspotEventSchema>;

/** HubSpot sends at most 100 events per request. */
export const HubspotEventBatchSchema = z.array(HubspotEventSchema).min(1).max(100);

/**
 * Event ids are not guaranteed unique (hubspot.md §5), and a retried delivery repeats the event with a
 * higher attemptNumber: the key is everything that identifies the change, never the attempt.
 */
export function eventDedupeKey(e: HubspotEvent): string {
  return [e.portalId, e.subscriptionId, e.eventId, e.subscriptionType, e.objectId ?? '', e.occurredAt, e.propertyName ?? '', e.propertyValue ?? ''].join('|');
}

/**
 * True when our own app made the change. Captured real deliveries show writes made with an app's
 * OAuth token arrive as `changeSource: "INTEGRATION"` with `sourceId` = that app's id as a string;
 * another app's writes name that app (sandboxes/hubspot/webhook-events.ts has the sources).
 */
export function isOwnChange(e: HubspotEvent, appId: string | undefined): boolean {
  return Boolean(appId) && e.changeSource === 'INTEGRATION' && e.sourceId === appId;
}
