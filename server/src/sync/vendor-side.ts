/** The accounting side of the sync: candidate search with spelling variants and the full scan. */
import type { AccountingProvider, Customer } from '../accounting/provider';
import { contentFromCustomer, objectTypeOfKind, type Content, type ObjectType } from './content';
import { projectContent } from './hubspot-mapping';
import { vendorSearchTerms } from './names';

export function vendorContent(customer: Customer): Content {
  return projectContent(objectTypeOfKind(customer.kind), contentFromCustomer(customer));
}

/**
 * Customers of the type whose name contains a spelling of a word of the record's name, in any name
 * field (vendors search raw text): every customer the matching rule would match is among them.
 */
export async function vendorCandidates(provider: AccountingProvider, objectType: ObjectType, content: Content): Promise<Customer[]> {
  const found = new Map<string, Customer>();
  for (const term of vendorSearchTerms(objectType, content)) {
    const query = objectType === 'company' ? { kind: 'company' as const, name: term } : { kind: 'person' as const, firstName: '', lastName: term };
    for (const c of await provider.findCustomers(query)) if (objectTypeOfKind(c.kind) === objectType && !c.isArchived) found.set(c.id, c);
  }
  return [...found.values()];
}

/** Every customer, page by page (a full scan: `listCustomers(null)`). */
export async function listAllCustomers(provider: AccountingProvider, sinceMs: number | null = null): Promise<Customer[]> {
  const out: Customer[] = [];
  for (let page: string | undefined; ;) {
    const result = await provider.listCustomers(sinceMs, page);
    out.push(...result.customers);
    page = result.nextPage;
    if (!page) return out;
  }
}
