/**
 * Turns sandbox CRM changes into HubSpot's webhook events, classic (`contact.creation`) and generic
 * (`object.creation` with `objectTypeId`), for the active subscriptions (hubspot.md §5).
 *
 * Marking of our own changes — research (search tool, issues/code corpora, several captured deliveries from
 * real accounts): a change made through the API with an app's OAuth token arrives with
 * `"changeSource": "INTEGRATION"` and `"sourceId": "<appId of the app that made it>"` as a string, e.g.
 * `{"appId": 9393361, "subscriptionType": "contact.creation", "changeFlag": "CREATED", "changeSource":
 * "INTEGRATION", "sourceId": "9393361"}`; a change by another app shows that app's id in `sourceId`
 * while `appId` stays ours (a pinned contact.creation in a public n8n workflow template: `"appId": 2930857,
 * "changeSource": "INTEGRATION", "sourceId": "2931120"`). Property history agrees: `propertiesWithHistory`
 * entries of API writes carry `"sourceType": "INTEGRATION"` and the app id as `sourceId`, with no app name. Other sources are less well attested: HubSpot's own SDK signature example
 * carries `"changeSource": "CRM"`, UI edits are commonly reported as `"CRM_UI"` (sourceId `userId:<id>`)
 * — UNCONFIRMED which; the sandbox uses CRM_UI for simulated user edits. So "changed by us"
 * ⇔ `changeSource === "INTEGRATION" && sourceId === String(ourAppId)`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectTypes } from './object-types';
import type { CrmChange } from './store';

export interface WebhookSubscription {
  /** Classic `deal.propertyChange`, `contact.creation` …, or generic `object.creation`, `object.propertyChange` … */
  subscriptionType: string;
  /** Generic subscriptions only: the object, singular lowercase as in the app config (`quote`, `deal`). */
  objectType?: string;
  /** propertyChange only: the one property watched; omitted = every property. */
  propertyName?: string;
}

/**
 * The subscriptions of an installed app are the active entries of its webhooks component
 * (`*-hsmeta.json`: `config.subscriptions.crmObjects` in the generic format with `objectType`,
 * `legacyCrmObjects` in the classic one). [https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks]
 */
export function subscriptionsOfAppConfig(component: unknown): WebhookSubscription[] {
  const subscriptions = (component as { config?: { subscriptions?: Record<string, unknown> } })?.config?.subscriptions ?? {};
  // `hubEvents` holds `contact.privacyDeletion` and `conversation.*`, which have no generic form (configure-webhooks page).
  const entries = [...asArray(subscriptions.crmObjects), ...asArray(subscriptions.legacyCrmObjects), ...asArray(subscriptions.hubEvents)];
  return entries
    .filter((e) => e.active === true && typeof e.subscriptionType === 'string')
    .map((e) => ({
      subscriptionType: String(e.subscriptionType),
      ...(typeof e.objectType === 'string' ? { objectType: e.objectType.toLowerCase() } : {}),
      ...(typeof e.propertyName === 'string' ? { propertyName: e.propertyName } : {}),
    }));
}

function asArray(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
}

/** The APIUP app's own webhooks component, as HubSpot would have it after `hs project upload`. */
export const appWebhooksConfigPath = join(import.meta.dirname, '../../../../hubspot-project/app/webhooks/webhooks-hsmeta.json');

/** Default subscriptions: those the APIUP app declares. */
export const defaultSubscriptions: WebhookSubscription[] = subscriptionsOfAppConfig(JSON.parse(readFileSync(appWebhooksConfigPath, 'utf8')));

/** Properties HubSpot never sends propertyChange events for (§5). */
const unsubscribable = new Set(['hs_lastmodifieddate', 'lastmodifieddate', 'num_unique_conversion_events']);

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  /** Generic (`object.*`) events only, e.g. `0-14` for quotes. */
  objectTypeId?: string;
  attemptNumber: number;
  objectId?: number;
  changeSource: string;
  sourceId?: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

/** The subscription ids HubSpot would have given the subscriptions (stable per position). */
export function subscriptionIdOf(index: number): number {
  return 2_500_000 + index;
}

export function eventsFor(change: CrmChange, subscriptions: WebhookSubscription[], appId: number, nextEventId: () => number): WebhookEvent[] {
  const type = objectTypes[change.objectType];
  const classicType = `${type.singular}.${change.kind}`;
  const genericType = `object.${change.kind}`;
  const events: WebhookEvent[] = [];
  subscriptions.forEach((sub, index) => {
    const generic = sub.subscriptionType === genericType && sub.objectType === type.singular;
    if (!generic && sub.subscriptionType !== classicType) return;
    // Generic events name the object by its type id; classic ones by the subscription type.
    const subscriptionType = generic ? genericType : classicType;
    if (change.kind === 'propertyChange') {
      if (unsubscribable.has(change.propertyName)) return;
      if (sub.propertyName && sub.propertyName !== change.propertyName) return;
    }
    const base: WebhookEvent = {
      eventId: nextEventId(),
      subscriptionId: subscriptionIdOf(index),
      portalId: change.portalId,
      appId,
      occurredAt: change.occurredAt,
      subscriptionType,
      ...(generic ? { objectTypeId: type.typeId } : {}),
      attemptNumber: 0,
      changeSource: change.source.changeSource,
      ...(change.source.sourceId ? { sourceId: change.source.sourceId } : {}),
    };
    events.push({ ...base, ...detailOf(change) });
  });
  return events;
}

function detailOf(change: CrmChange): Partial<WebhookEvent> {
  const objectId = Number(change.objectId);
  switch (change.kind) {
    case 'creation':
      return { objectId, changeFlag: 'CREATED' };
    case 'deletion':
      return { objectId, changeFlag: 'DELETED' };
    case 'restore':
      return { objectId, changeFlag: 'RESTORED' };
    case 'privacyDeletion':
      // The classic envelope naming the contact by `objectId`; the changeFlag HubSpot sets here is UNCONFIRMED, so none is sent.
      return { objectId };
    case 'propertyChange':
      return { objectId, propertyName: change.propertyName, propertyValue: change.propertyValue };
    case 'merge':
      return {
        objectId,
        primaryObjectId: Number(change.primaryObjectId),
        mergedObjectIds: change.mergedObjectIds.map(Number),
        newObjectId: Number(change.newObjectId),
        numberOfPropertiesMoved: change.numberOfPropertiesMoved,
      };
    case 'associationChange':
      return {
        associationType: change.associationType,
        fromObjectId: Number(change.fromObjectId),
        toObjectId: Number(change.toObjectId),
        associationRemoved: change.associationRemoved,
        isPrimaryAssociation: change.isPrimaryAssociation,
      };
  }
}
