/**
 * Person ↔ company in Lexware Office: a company contact keeps its people inside it, as `company.contactPersons`
 * (salutation, firstName, lastName, primary, emailAddress, phoneNumber; docs "Contact Properties", accounting.md
 * §1.5); a person contact has no field naming a company. A person contact belongs to a company here when the
 * company lists a contact person with the person's e-mail address: `GET /v1/contacts?email=` matches contact
 * persons' addresses too (docs2025 "Filtering Contacts"). Without an e-mail there is no link. The API writes at most
 * one contact person per company (docs "Update a Contact"), so a company that already has another one keeps it:
 * replacing it would drop the user's data.
 */
import type { Logger } from 'pino';
import type { Customer } from '../provider';
import type { LexofficeClient } from './client';
import type { LexofficeContact } from './schemas';

const pageSize = 250;

const sameEmail = (a: string | undefined, b: string | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());

/** Customer contacts found by an e-mail address (the filter needs 3 characters and treats `_`/`%` as wildcards: matches are re-checked). */
async function contactsWithEmail(client: LexofficeClient, email: string | undefined): Promise<LexofficeContact[]> {
  if (!email || email.trim().length < 3) return [];
  return (await client.listContacts({ email: email.trim(), customer: true, page: 0, size: pageSize })).content;
}

/** The companies that keep this person as a contact person, by e-mail (Lexware's own order: by name). */
export async function companiesOf(client: LexofficeClient, person: Pick<Customer, 'email'>): Promise<string[]> {
  const found = await contactsWithEmail(client, person.email);
  return found.filter((c) => c.company?.contactPersons?.some((p) => sameEmail(p.emailAddress, person.email))).map((c) => c.id);
}

/** The person contacts that a company's contact persons stand for (same e-mail address). */
export async function personsOf(client: LexofficeClient, company: LexofficeContact): Promise<string[]> {
  const ids = new Set<string>();
  for (const contactPerson of company.company?.contactPersons ?? []) {
    for (const c of await contactsWithEmail(client, contactPerson.emailAddress)) {
      const emails = Object.values(c.emailAddresses ?? {}).flat();
      if (c.person && emails.some((e) => sameEmail(e, contactPerson.emailAddress))) ids.add(c.id);
    }
  }
  return [...ids];
}

/**
 * Puts the person into the company as its contact person, where the company has none yet; true when the company
 * keeps this person (already or now). The company is written with its own current version (full replacement, §1.5).
 */
export async function keepAsContactPerson(
  client: LexofficeClient,
  log: Logger,
  companyId: string,
  person: Pick<Customer, 'firstName' | 'lastName' | 'email' | 'phone'>,
): Promise<boolean> {
  if (!person.email || !person.lastName) return false;
  const company = await client.getContact(companyId);
  if (!company?.company) return false;
  const kept = company.company.contactPersons ?? [];
  if (kept.some((p) => sameEmail(p.emailAddress, person.email))) return true;
  if (kept.length > 0) {
    log.warn({ companyId }, 'lexoffice company already has a contact person; the API keeps one, so the person is not linked');
    return false;
  }
  const { id: _id, archived: _archived, ...body } = company as LexofficeContact & { archived?: boolean };
  const contactPerson = { firstName: person.firstName, lastName: person.lastName, primary: true, emailAddress: person.email, phoneNumber: person.phone };
  await client.updateContact(
    companyId,
    JSON.parse(JSON.stringify({ ...body, company: { ...company.company, contactPersons: [contactPerson] } })) as Record<string, unknown>,
  );
  return true;
}
