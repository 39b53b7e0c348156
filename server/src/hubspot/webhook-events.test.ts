import { describe, expect, it } from 'vitest';
import { HubspotEventBatchSchema, screenEvents } from './webhook-events';

const merge = {
  eventId: 4_100_230_017,
  subscriptionId: '2917745',
  portalId: 48_211_907,
  appId: 4_242_001,
  occurredAt: 1_764_673_200_000,
  eventType: 'contact.merge',
  attemptNumber: 1,
  primaryObjectId: '90817263',
  mergedObjectIds: [90_817_263, '90817264'],
  newObjectId: 90_817_265,
  numberOfPropertiesMoved: 14,
  changeSource: 'CRM_UI',
};

describe('screenEvents', () => {
  it('gives every id as a string, the event type as subscriptionType, and keeps keys it does not know', () => {
    const { events, rejected } = screenEvents([merge]);
    expect(rejected).toEqual([]);
    expect(events).toEqual([
      {
        ...merge,
        eventId: '4100230017',
        subscriptionId: '2917745',
        portalId: '48211907',
        appId: '4242001',
        subscriptionType: 'contact.merge',
        primaryObjectId: '90817263',
        mergedObjectIds: ['90817263', '90817264'],
        newObjectId: '90817265',
      },
    ]);
  });

  it('reads an event as HubspotEventBatchSchema does', () => {
    const stageChange = {
      ...merge,
      eventType: undefined,
      subscriptionType: 'deal.propertyChange',
      propertyName: 'dealstage',
      propertyValue: 'closedwon',
      objectId: 7_710_002_345,
    };
    expect(screenEvents([merge, stageChange]).events).toEqual(HubspotEventBatchSchema.parse([merge, stageChange]));
  });

  it('rejects an event without a type, and one with an id that is not a number, naming the field', () => {
    const { events, rejected } = screenEvents([
      { ...merge, eventType: undefined },
      { ...merge, portalId: -48_211_907 },
      { ...merge, mergedObjectIds: ['90817263', 'Müller-Lüdenscheidt'] },
    ]);
    expect(events).toEqual([]);
    expect(rejected.map((r) => [r.reason, r.detail])).toEqual([
      ['invalid_event', '(event): subscriptionType is required'],
      ['invalid_event', expect.stringMatching(/^portalId: /)],
      ['invalid_event', expect.stringMatching(/^mergedObjectIds\.1: /)],
    ]);
    expect(HubspotEventBatchSchema.safeParse([{ ...merge, eventType: undefined }]).success).toBe(false);
  });
});
