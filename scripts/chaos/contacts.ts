/**
 * Contact edits during the chaos run: contacts are created in HubSpot, then edited on both sides
 * (names in HubSpot by users, first names in the vendor through its API). Afterwards every linked
 * pair must agree on the edited fields.
 */
import type { ChaosCluster } from './cluster';

const contactsPerTenant = 25;

interface TenantContacts {
  portalId: string;
  hubspotIds: string[];
}

const created: TenantContacts[] = [];

export async function runContactEdits(cluster: ChaosCluster, edits: number, random: () => number): Promise<void> {
  if (edits === 0) return;
  const hubspot = cluster.sandboxes.hubspot;
  for (const tenant of cluster.tenants) {
    const hubspotIds: string[] = [];
    for (let i = 0; i < contactsPerTenant; i++) {
      hubspotIds.push(
        hubspot.simulateChange(Number(tenant.portalId), 'contacts', undefined, {
          firstname: `Vorname${i}`,
          lastname: `Chaos${tenant.portalId.slice(-1)}x${i}`,
          email: `c${i}@t${tenant.portalId}.example`,
        }).id,
      );
    }
    created.push({ portalId: tenant.portalId, hubspotIds });
  }
  const pollTimer = setInterval(() => requestPolls(cluster), 5_000);
  try {
    for (let i = 0; i < edits; i++) {
      const tenant = created[Math.floor(random() * created.length)];
      const hubspotId = tenant.hubspotIds[Math.floor(random() * tenant.hubspotIds.length)];
      if (random() < 0.85) {
        hubspot.simulateChange(Number(tenant.portalId), 'contacts', hubspotId, { lastname: `Nachname${i}` });
      } else {
        await editInVendor(cluster, tenant.portalId, hubspotId, `Vendor${i}`);
      }
      await new Promise((r) => setTimeout(r, 10 + random() * 30));
    }
  } finally {
    clearInterval(pollTimer);
  }
}

/** A user edits the linked customer in the accounting system (a stale version is their lost edit, not ours). */
async function editInVendor(cluster: ChaosCluster, portalId: string, hubspotId: string, firstName: string): Promise<void> {
  const link = cluster.observer.services.sync.deps.db.$client
    .prepare("select vendor_id as vendorId from customer_links where portal_id = ? and object_type = 'contact' and hubspot_id = ?")
    .get(portalId, hubspotId) as { vendorId: string } | undefined;
  if (!link) return;
  const provider = cluster.observer.services.connections.providerFor(portalId)!.provider;
  try {
    const customer = await provider.getCustomer(link.vendorId);
    if (customer) await provider.updateCustomer(customer.id, { ...customer, firstName }, customer.version);
  } catch {
    // The vendor refused (conflict, injected fault): the user's edit did not happen.
  }
}

/** Asks APIUP to poll every vendor now (the worker runs the poll jobs). */
function requestPolls(cluster: ChaosCluster): void {
  const poll = cluster.observer.services.sync.definitions.poll;
  for (const tenant of cluster.tenants) cluster.observer.queue.enqueue(poll, { portalId: tenant.portalId });
}

/** Lets the sync settle (polls until no sync job is live, twice), then compares every linked contact. */
export async function verifyContacts(cluster: ChaosCluster): Promise<{ diverged: number; checked: number; problems: string[] }> {
  if (created.length === 0) return { diverged: 0, checked: 0, problems: [] };
  const live = cluster.observer.db.$client.prepare(
    "select count(*) as n from jobs where state in ('queued','running','retrying') and name like 'sync.%' and name != 'sync.deletions'",
  );
  for (let round = 0; round < 3; round++) {
    requestPolls(cluster);
    const deadline = Date.now() + 120_000;
    while ((live.get() as { n: number }).n > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await cluster.sandboxes.hubspot.flushWebhooks();
  }
  const problems: string[] = [];
  let checked = 0;
  for (const tenant of created) {
    const provider = cluster.observer.services.connections.providerFor(tenant.portalId)!.provider;
    const records = cluster.sandboxes.hubspot.store.ensurePortal(Number(tenant.portalId)).records.contacts;
    for (const hubspotId of tenant.hubspotIds) {
      const link = cluster.observer.db.$client
        .prepare("select vendor_id as vendorId from customer_links where portal_id = ? and object_type = 'contact' and hubspot_id = ?")
        .get(tenant.portalId, hubspotId) as { vendorId: string } | undefined;
      if (!link) {
        problems.push(`contact ${tenant.portalId}/${hubspotId}: never linked`);
        continue;
      }
      checked++;
      const hub = records.get(hubspotId)!.properties;
      const vendor = await provider.getCustomer(link.vendorId);
      const same = vendor && vendor.firstName === hub.firstname && vendor.lastName === hub.lastname;
      if (!same)
        problems.push(
          `contact ${tenant.portalId}/${hubspotId}: HubSpot "${hub.firstname} ${hub.lastname}" vs vendor "${vendor?.firstName} ${vendor?.lastName}"`,
        );
    }
  }
  return { diverged: problems.length, checked, problems };
}
