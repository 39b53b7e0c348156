/**
 * Turns sandbox CRM changes into HubSpot's classic webhook events (hubspot.md §5) for the active subscriptions.
 *
 * Marking of our own changes — research (search tool, issues/code corpora, several captured deliveries from
 * real accounts): a change made through the API with an app's OAuth token arrives with
 * `"changeSource": "INTEGRATION"` and `"sourceId": "<appId of the app that made it>"` as a string, e.g.
 * `{"appId": 9393361, "subscriptionType": "contact.creation", "changeFlag": "CREATED", "changeSource":
 * "INTEGRATION", "sourceId": "9393361"}`; a change by another app shows that app's id in `sourceId`
 * while `appId` stays ours. Other sources are less well attested: HubSpot's own SDK signature example
 * carries `"changeSource": "CRM"`, UI edits are commonly reported as `"CRM_UI"` (sourceId `userId:<id>`)
 * — UNCONFIRMED which; the sandbox uses CRM_UI for simulated user edits. So "changed by us"
 * ⇔ `changeSource === "INTEGRATION" && sourceId === String(ourAppId)`.
 */
import { objectTypes } from './object-types';
import type { CrmChange } from './store';

export interface WebhookSubscription {
  /** Classic type, e.g. `deal.propertyChange`, `contact.creation`. */
  subscriptionType: string;
  /** propertyChange only: the one property watched; omitted = every property. */
  propertyName?: string;
}

/** Default subscriptions of the APIUP app (task brief): dealstage changes plus contact/company lifecycle events. */
export const defaultSubscriptions: WebhookSubscription[] = [
  { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' },
  ...['contact', 'company'].flatMap((o) =>
    ['creation', 'propertyChange', 'deletion', 'merge', 'restore'].map((e) => ({ subscriptionType: `${o}.${e}` })),
  ),
];

/** Properties HubSpot never sends propertyChange events for (§5). */
const unsubscribable = new Set(['hs_lastmodifieddate', 'lastmodifieddate', 'num_unique_conversion_events']);

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
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
  const subscriptionType = `${objectTypes[change.objectType].singular}.${change.kind}`;
  const events: WebhookEvent[] = [];
  subscriptions.forEach((sub, index) => {
    if (sub.subscriptionType !== subscriptionType) return;
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
