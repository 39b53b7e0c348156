/**
 * Reading the `associations` of a v3 object read (`GET /crm/v3/objects/deals/{id}?associations=line_items`).
 * HubSpot keys each group by the object's display name, not by the type asked for: line items come back as
 * `"line items"`, with a space; companies, contacts and quotes under their plural names (docs/reference/hubspot.md
 * §6.1; a recorded answer: github.com/crabroom-llc/estuate-app events.js). Each group holds at most 100 results
 * and carries `paging.next.after` when there are more (https://developers.hubspot.com/changelog/announcing-a-change-to-how-v3-crm-apis-return-association-data);
 * the rest is then read through the v4 associations API.
 */
import type { HubspotClients } from './client';

export interface AssociationGroup {
  results: Array<{ id: string; type: string }>;
  paging?: { next?: { after?: string } };
}

export type AssociationGroups = Record<string, AssociationGroup | undefined>;

export type AssociatedType = 'line_items' | 'companies' | 'contacts' | 'quotes';

/** The keys a group may come under: HubSpot's own first, the type name as a tolerated alternative. */
const groupKeys: Record<AssociatedType, string[]> = {
  line_items: ['line items', 'line_items'],
  companies: ['companies'],
  contacts: ['contacts'],
  quotes: ['quotes'],
};

export function associationGroup(associations: unknown, toType: AssociatedType): AssociationGroup | undefined {
  const groups = (associations ?? {}) as AssociationGroups;
  for (const key of groupKeys[toType]) {
    const group = groups[key];
    if (group && Array.isArray(group.results)) return group;
  }
  return undefined;
}

/** The distinct ids of one group, in HubSpot's order; a paged group is read in full through v4. */
export async function associatedIds(
  hubspot: HubspotClients,
  portalId: string,
  from: { objectType: string; id: string },
  group: AssociationGroup | undefined,
  toType: AssociatedType,
): Promise<string[]> {
  if (!group) return [];
  if (!group.paging?.next?.after) return [...new Set(group.results.map((r) => r.id))];
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await hubspot.call(portalId, (c) => c.crm.associations.v4.basicApi.getPage(from.objectType, from.id, toType, after, 500), {
      idempotent: true,
    });
    ids.push(...page.results.map((r) => String(r.toObjectId)));
    after = page.paging?.next?.after;
  } while (after);
  return [...new Set(ids)];
}
