/**
 * Records changed since an instant, read with the CRM search API (hubspot.md §6.1): at most 200
 * results per page, 10,000 per query (paging past that is a 400), 5 groups × 6 filters (18 in
 * total), 5 search requests per second per account (the `search` limiter in client.ts). Results
 * are sorted by the last-modified date, so when a query reaches 10,000 results the next query
 * starts again from the last date seen instead of paging on. Search results lag writes by a few
 * moments: callers overlap their windows.
 * Docs: https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm
 */
import type { HubspotClients } from './client';

export type ChangedObjectType = 'deals' | 'contacts' | 'companies';

/** The last-modified property HubSpot maintains: contacts spell it without the `hs_` prefix. */
export const modifiedProperty: Record<ChangedObjectType, string> = {
  deals: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
};

export const searchPageSize = 200;
export const searchMaxResults = 10_000;
/** Values per `IN` filter we send; the docs give no number, so stay well inside any sane limit. */
export const maxInValues = 100;

export interface ChangedRecord {
  id: string;
  properties: Record<string, string | null>;
}

export interface ChangeQuery {
  objectType: ChangedObjectType;
  sinceMs: number;
  /** Further filters ANDed with the date, e.g. `dealstage IN …` (at most 5). */
  filters?: Array<{ propertyName: string; operator: 'IN' | 'EQ'; value?: string; values?: string[] }>;
  properties?: string[];
}

/** Every record matching the query, oldest change first; a record changed twice may appear twice. */
export async function* changedSince(clients: HubspotClients, portalId: string, query: ChangeQuery): AsyncGenerator<ChangedRecord> {
  const dateProperty = modifiedProperty[query.objectType];
  let sinceMs = query.sinceMs;
  for (;;) {
    let after: string | undefined;
    let seen = 0;
    let lastModifiedMs = sinceMs;
    for (;;) {
      const page = await clients.call(
        portalId,
        (c) =>
          c.crm.objects.searchApi.doSearch(query.objectType, {
            filterGroups: [
              {
                filters: [
                  { propertyName: dateProperty, operator: 'GTE' as never, value: String(sinceMs) },
                  ...(query.filters ?? []).map((f) => ({ ...f, operator: f.operator as never })),
                ],
              },
            ],
            // `sorts` is `string[]` in the spec (PublicObjectSearchRequest): a property name sorts ascending.
            sorts: [dateProperty],
            properties: [dateProperty, ...(query.properties ?? [])],
            limit: searchPageSize,
            after: after ?? '0',
          }),
        { search: true, idempotent: true },
      );
      for (const result of page.results) {
        const modified = Date.parse(String(result.properties[dateProperty] ?? ''));
        if (Number.isFinite(modified)) lastModifiedMs = Math.max(lastModifiedMs, modified);
        yield { id: result.id, properties: result.properties };
      }
      seen += page.results.length;
      after = page.paging?.next?.after;
      if (!after) return;
      if (seen + searchPageSize > searchMaxResults) break;
    }
    // 10,000 results in this window: go on from the newest date seen. If all of them share one
    // instant there is no way past it with search: stop rather than loop.
    if (lastModifiedMs <= sinceMs) return;
    sinceMs = lastModifiedMs;
  }
}
