/**
 * HubSpot webhook events (hubspot.md §5): the shape we accept, how duplicates are recognised, and
 * which events our own writes caused.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * HubSpot's ids (portal, event, subscription, object, app) are numeric; sent as numbers or strings,
 * kept as strings (`toEvent`).
 */
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a numeric id')]);

/** One event as sent. */
const sentEventShape = {
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
};
const SentEventSchema = z.object(sentEventShape).loose();
type SentEvent = z.output<typeof SentEventSchema>;

const idKeys = ['eventId', 'subscriptionId', 'portalId', 'appId', 'objectId', 'primaryObjectId', 'newObjectId'] as const;

type KnownKeys = z.output<z.ZodObject<typeof sentEventShape>>;
type IdKey = (typeof idKeys)[number];

/** An event as we store and route it: every id a string, `subscriptionType` always there; other keys kept. */
export type HubspotEvent = {
  [K in keyof KnownKeys]: K extends IdKey ? string : K extends 'mergedObjectIds' ? string[] : KnownKeys[K];
} & { subscriptionType: string; [key: string]: unknown };

const noSubscriptionType = 'subscriptionType is required';

/** `sent` as a `HubspotEvent`, or undefined when it names neither `subscriptionType` nor `eventType`. */
function toEvent(sent: SentEvent): HubspotEvent | undefined {
  const subscriptionType = sent.subscriptionType ?? sent.eventType;
  if (!subscriptionType) return undefined;
  // zod's output is a new object of its own: changed in place, not copied once more.
  const event: Record<string, unknown> = sent;
  event.subscriptionType = subscriptionType;
  for (const key of idKeys) if (sent[key] !== undefined) event[key] = String(sent[key]);
  if (sent.mergedObjectIds) event.mergedObjectIds = sent.mergedObjectIds.map(String);
  return event as HubspotEvent;
}

/**
 * One event, checked and made a `HubspotEvent`. The intake does the same without zod's transforms
 * (`parseEvent`): with a transform per id, checking an event took about 8 µs, without them under 1 µs,
 * and the intake checks 100 per delivery.
 */
export const HubspotEventSchema = SentEventSchema.refine((e) => e.subscriptionType ?? e.eventType, { message: noSubscriptionType }).transform((e) =>
  toEvent(e)!,
);

/** `HubspotEventSchema.safeParse` in effect, with the messages of the issues it would give. */
function parseEvent(item: unknown): { event: HubspotEvent; issues?: undefined } | { event?: undefined; issues: { path: PropertyKey[]; message: string }[] } {
  const parsed = SentEventSchema.safeParse(item);
  if (!parsed.success) return { issues: parsed.error.issues };
  const event = toEvent(parsed.data);
  return event ? { event } : { issues: [{ path: [], message: noSubscriptionType }] };
}

/** HubSpot sends at most 100 events per request. */
export const HubspotEventBatchSchema = z.array(HubspotEventSchema).min(1).max(100);

/** The request body: a list of up to 100 events, each checked on its own by `screenEvents`. */
export const HubspotEventListSchema = z.array(z.unknown()).min(1).max(100);

/** Events are flat (hubspot.md §5); the deepest field we know is `mergedObjectIds` (depth 2). */
export const maxEventDepth = 8;
/**
 * Text property values set in the CRM are at most 65,536 characters
 * (https://knowledge.hubspot.com/contacts/property-field-types-in-hubspot), 4 bytes each in UTF-8 at
 * worst: a `propertyValue` change event fits with room to spare. (Form submissions have no limit;
 * an event carrying a longer value is rejected and logged.)
 */
export const maxEventBytes = 300 * 1024;

export type RejectReason = 'too_deep' | 'too_large' | 'invalid_event';

/** An event we will not store as sent: a bounded excerpt of it and why. */
export interface RejectedEvent {
  reason: RejectReason;
  detail: string;
  excerpt: Record<string, string | number | boolean | null>;
  portalId: string | null;
  eventId: string | null;
  subscriptionType: string | null;
  occurredAt: number | null;
}

/**
 * Splits a delivery into events we store and route, and events we record as rejected. `bodyBytes`
 * (the delivery's size): when the whole body is within `maxEventBytes`, no event in it can exceed it,
 * and the events are not serialised again just to be measured.
 */
export function screenEvents(items: unknown[], bodyBytes?: number): { events: HubspotEvent[]; rejected: RejectedEvent[] } {
  const measure = bodyBytes === undefined || bodyBytes > maxEventBytes;
  const events: HubspotEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const item of items) {
    if (depthExceeds(item, maxEventDepth)) {
      rejected.push(rejection(item, 'too_deep', `nested deeper than ${maxEventDepth} levels`));
      continue;
    }
    const bytes = measure ? Buffer.byteLength(JSON.stringify(item) ?? '') : 0;
    if (bytes > maxEventBytes) {
      rejected.push(rejection(item, 'too_large', `${bytes} bytes, more than ${maxEventBytes}`));
      continue;
    }
    const { event, issues } = parseEvent(item);
    if (event) events.push(event);
    else
      rejected.push(
        rejection(
          item,
          'invalid_event',
          issues
            .slice(0, 5)
            .map((i) => `${i.path.map(String).join('.') || '(event)'}: ${i.message}`)
            .join('; '),
        ),
      );
  }
  return { events, rejected };
}

/**
 * Iterative, so a hostile depth cannot overflow the stack while we measure it; only objects go on the
 * stack (a flat event, the usual case, pushes nothing).
 */
function depthExceeds(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth > max) return true;
    for (const key in node) {
      const child = node[key];
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

const excerptKeys = 40;
const excerptChars = 500;

function rejection(item: unknown, reason: RejectReason, detail: string): RejectedEvent {
  const excerpt: RejectedEvent['excerpt'] = {};
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    excerpt.value = describe(item);
  } else {
    for (const [key, value] of Object.entries(item).slice(0, excerptKeys)) excerpt[key.slice(0, 100)] = describe(value);
  }
  const scalar = (key: string) => (typeof excerpt[key] === 'string' || typeof excerpt[key] === 'number' ? String(excerpt[key]) : null);
  const numericId = (key: string) => (/^\d+$/.test(scalar(key) ?? '') ? scalar(key) : null);
  return {
    reason,
    detail: detail.slice(0, excerptChars),
    excerpt,
    portalId: numericId('portalId'),
    eventId: numericId('eventId'),
    subscriptionType: scalar('subscriptionType') ?? scalar('eventType'),
    occurredAt: Number.isSafeInteger(excerpt.occurredAt) ? (excerpt.occurredAt as number) : null,
  };
}

/** Scalars as they are (long strings cut), objects and arrays only named: the excerpt is flat. */
function describe(value: unknown): string | number | boolean | null {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.slice(0, excerptChars);
  if (Array.isArray(value)) return `[array of ${value.length}]`;
  return `[${typeof value}]`;
}

/** A rejected event delivered again is recognised by its excerpt. */
export function rejectedDedupeKey(r: RejectedEvent): string {
  return `rejected|${createHash('sha256')
    .update(JSON.stringify([r.reason, r.excerpt]))
    .digest('base64url')}`;
}

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

/**
 * The id of another app whose API write caused the event (`changeSource: "INTEGRATION"`, `sourceId`: the
 * writing app's id, as in isOwnChange; a real contact.creation by another app:
 * `{"appId": 2930857, "changeSource": "INTEGRATION", "sourceId": "2931120"}`, pinned in a public n8n workflow
 * template). Undefined for our own writes, for changes not made by an app, and while our own app id is unknown:
 * then our writes could not be told apart and would be counted as another app's.
 */
export function otherAppOf(e: HubspotEvent, appId: string | undefined): string | undefined {
  if (!appId || e.changeSource !== 'INTEGRATION' || !e.sourceId || e.sourceId === appId) return undefined;
  return e.sourceId;
}
