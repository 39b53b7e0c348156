import { describe, expect, it } from 'vitest';
import type { HubspotClients } from './client';
import { changedSince, searchMaxResults } from './recent-changes';

interface SearchRequest {
  filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string }> }>;
  sorts: string[];
  limit: number;
  after: string;
}

/** HubSpot's search as documented: sorted, 200 a page at most, and a 400 for paging past 10,000 results. */
function fakeSearch(records: Array<{ id: string; modifiedMs: number }>) {
  const requests: SearchRequest[] = [];
  const clients = {
    call: async (_portalId: string, operation: (c: unknown) => Promise<unknown>) =>
      operation({
        crm: {
          objects: {
            searchApi: {
              doSearch: async (_type: string, request: SearchRequest) => {
                requests.push(request);
                const offset = Number(request.after);
                if (offset + request.limit > searchMaxResults) throw new Error('400: cannot page past 10,000 results');
                const since = Number(request.filterGroups[0].filters[0].value);
                const matches = records.filter((r) => r.modifiedMs >= since).sort((a, b) => a.modifiedMs - b.modifiedMs);
                const page = matches.slice(offset, offset + request.limit);
                const next = offset + request.limit;
                return {
                  total: matches.length,
                  results: page.map((r) => ({ id: r.id, properties: { hs_lastmodifieddate: new Date(r.modifiedMs).toISOString() } })),
                  paging: next < matches.length ? { next: { after: String(next) } } : undefined,
                };
              },
            },
          },
        },
      }),
  } as unknown as HubspotClients;
  return { clients, requests };
}

describe('changed records from HubSpot search', () => {
  it('reads 25,000 changes without paging past 10,000 results, by restarting from the last date seen', async () => {
    const start = Date.UTC(2026, 10, 24, 9);
    const records = Array.from({ length: 25_000 }, (_, i) => ({ id: String(50_000_000 + i), modifiedMs: start + i * 1_000 }));
    const { clients, requests } = fakeSearch(records);
    const seen = new Set<string>();
    for await (const record of changedSince(clients, '24681357', { objectType: 'companies', sinceMs: start })) seen.add(record.id);
    expect(seen.size).toBe(25_000);
    expect(requests.every((r) => Number(r.after) + r.limit <= searchMaxResults && r.limit === 200)).toBe(true);
    expect(requests[0].sorts).toEqual(['hs_lastmodifieddate']);
  });

  it('stops instead of looping when more than 10,000 records share one modification instant', async () => {
    const instant = Date.UTC(2026, 10, 24, 9);
    const { clients, requests } = fakeSearch(Array.from({ length: 10_500 }, (_, i) => ({ id: String(i + 1), modifiedMs: instant })));
    let count = 0;
    for await (const _record of changedSince(clients, '24681357', { objectType: 'deals', sinceMs: instant })) count++;
    expect(count).toBe(10_000);
    expect(requests).toHaveLength(50);
  });
});
