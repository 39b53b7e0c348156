/**
 * Finds or creates the invoice's customer in the accounting system with the sync's matching rules,
 * and remembers the link. Several matching customers are a conflict, never a guess.
 */
import { and, eq } from 'drizzle-orm';
import type { AccountingProvider, CustomerInput, CustomerQuery } from '../accounting/provider';
import type { DbOrTx } from '../db/client';
import { customerLinks } from '../db/schema';
import { matchCustomer } from '../sync/matching';

export type CustomerResolution = { kind: 'resolved'; customerId: string; created: boolean } | { kind: 'ambiguous'; name: string };

export interface CustomerSource {
  objectType: 'company' | 'contact';
  id: string;
}

export async function resolveCustomer(
  db: DbOrTx,
  portalId: string,
  providerId: string,
  provider: AccountingProvider,
  source: CustomerSource,
  customer: CustomerInput,
  now: number,
): Promise<CustomerResolution> {
  const link = db
    .select()
    .from(customerLinks)
    .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, source.objectType), eq(customerLinks.hubspotId, source.id)))
    .get();
  if (link && link.provider === providerId && (await provider.getCustomer(link.vendorId))) {
    return { kind: 'resolved', customerId: link.vendorId, created: false };
  }
  const query: CustomerQuery =
    customer.kind === 'company' ? { kind: 'company', name: customer.companyName ?? '' } : { kind: 'person', firstName: customer.firstName ?? '', lastName: customer.lastName ?? '' };
  const match = matchCustomer(customer, await provider.findCustomers(query));
  if (match.kind === 'ambiguous') return { kind: 'ambiguous', name: displayName(customer) };
  const vendor = match.kind === 'one' ? match.match : await provider.createCustomer(customer);
  const row = { provider: providerId, vendorId: vendor.id, vendorVersion: vendor.version ?? null, lastSyncedAt: now };
  db.insert(customerLinks)
    .values({ portalId, objectType: source.objectType, hubspotId: source.id, ...row })
    .onConflictDoUpdate({ target: [customerLinks.portalId, customerLinks.objectType, customerLinks.hubspotId], set: row })
    .run();
  return { kind: 'resolved', customerId: vendor.id, created: match.kind === 'none' };
}

function displayName(c: CustomerInput): string {
  return c.kind === 'company' ? (c.companyName ?? '') : [c.firstName, c.lastName].filter(Boolean).join(' ');
}
