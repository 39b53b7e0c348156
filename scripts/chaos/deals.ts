import type { ChaosCluster } from './cluster';

export interface WonDeal {
  portalId: string;
  dealId: string;
}

/** Creates deals with line items in every tenant's portal and moves them to won, as HubSpot users do. */
export async function runDeals(cluster: ChaosCluster, count: number, random: () => number): Promise<WonDeal[]> {
  const hubspot = cluster.sandboxes.hubspot;
  const companies = new Map<string, string[]>();
  for (const tenant of cluster.tenants) {
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        hubspot.simulateChange(Number(tenant.portalId), 'companies', undefined, {
          name: `Chaos Kunde ${i} GmbH`,
          address: `Weg ${i}`,
          zip: '10115',
          city: 'Berlin',
          country: 'DE',
        }).id,
      );
    }
    companies.set(tenant.portalId, ids);
  }
  const won: WonDeal[] = [];
  for (let i = 0; i < count; i++) {
    const tenant = cluster.tenants[i % cluster.tenants.length];
    const portal = Number(tenant.portalId);
    const dealId = hubspot.simulateChange(portal, 'deals', undefined, { dealname: `Chaos ${i}`, pipeline: 'default', dealstage: 'contractsent' }).id;
    const items = 1 + Math.floor(random() * 3);
    for (let j = 0; j < items; j++) {
      const itemId = hubspot.simulateChange(portal, 'line_items', undefined, {
        name: `Posten ${j}`,
        quantity: String(1 + j),
        price: (10 + random() * 90).toFixed(2),
      }).id;
      hubspot.simulateAssociation(portal, 'deals', dealId, 'line_items', itemId);
    }
    const company = companies.get(tenant.portalId)![Math.floor(random() * 5)];
    hubspot.simulateAssociation(portal, 'deals', dealId, 'companies', company);
    hubspot.simulateChange(portal, 'deals', dealId, { dealstage: 'closedwon' });
    won.push({ portalId: tenant.portalId, dealId });
    await new Promise((r) => setTimeout(r, 40 + random() * 80));
  }
  return won;
}
