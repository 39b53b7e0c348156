/**
 * A note on a deal's timeline: `POST /crm/v3/objects/notes` with `hs_timestamp`, `hs_note_body` and an
 * association to the deal of type 214 (`note_to_deal`, HUBSPOT_DEFINED) in the same call (spec notes.json
 * `SimplePublicObjectInputForCreate`; type id from
 * https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide, "Note to deal: 214").
 *
 * Why notes and not timeline events: project apps (2025.2 and 2026.03) have no timeline-event-template
 * component; their successor, "app events" (`app-event` in app-events/), needs HubSpot's approval
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/app-events/create-and-manage-event-types),
 * and the v3 template endpoints `/integrators/timeline/v3/{appId}/event-templates` need a developer
 * account's key (`developers-write`, spec timeline.json), which an installed app does not hold.
 */
import { HubspotError, type HubspotClients } from './client';

/** HubSpot-defined association type note → deal. */
export const noteToDealTypeId = 214;

export async function createDealNote(clients: HubspotClients, portalId: string, dealId: string, bodyHtml: string, timestampMs: number): Promise<string> {
  const body = {
    properties: { hs_timestamp: new Date(timestampMs).toISOString(), hs_note_body: bodyHtml },
    associations: [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: noteToDealTypeId }] }],
  };
  return clients.call(
    portalId,
    async (c) => {
      const response = await c.apiRequest({ method: 'POST', path: '/crm/v3/objects/notes', body });
      if (!response.ok) throw new HubspotError(response.status, `note create answered ${response.status}`, await response.text());
      const created = (await response.json()) as { id?: unknown };
      if (typeof created.id !== 'string') throw new HubspotError(502, 'note create answered without an id', created);
      return created.id;
    },
    // A resent create makes a second note: not retried after a 5xx or a dropped connection (the job retries, under its claim).
    { idempotent: false },
  );
}
