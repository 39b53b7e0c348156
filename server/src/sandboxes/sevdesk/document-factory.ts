/**
 * What sevDesk's invoice and order factories share (SVS Invoice and Order tags): the rules a new document
 * must meet, answered with sevDesk's 4xx, and its positions as stored.
 */
import type { SevdeskStore, StoredPosition } from './store';
import { SevdeskHttpError, ratesByTaxRule } from './validation';

interface NewDocument {
  id?: unknown;
  status: string;
  currency?: string | null;
  taxRule?: { id: string } | null;
  taxType?: string | null;
  contact: { id: string };
  contactPerson: { id: string };
}

interface PositionSave {
  name?: string | null;
  text?: string | null;
  quantity: number;
  price?: number | null;
  taxRate: number;
  discount?: number | null;
  unity: { id: string };
  positionNumber?: number | null;
}

/**
 * New documents are drafts with a currency, positions, an existing contact and our user, and rates the tax
 * rule allows. Messages as sevDesk gave them in live tests of its document factory (codecell-germany/
 * sevdesk-agent-skill knowledge/SEVDESK_ORDER_WRITE_LEARNINGS.md); validations are 422 (sevDesk API news 2024-04-08).
 */
export function checkNewDocument(
  store: SevdeskStore,
  name: 'invoice' | 'order',
  doc: NewDocument,
  positions: readonly PositionSave[] | null | undefined,
): void {
  const plural = name === 'invoice' ? 'Invoices' : 'Orders';
  if (doc.id !== undefined && doc.id !== null) throw new SevdeskHttpError(400, `updating ${name}s through the factory is not emulated`);
  if (doc.status !== '100') throw new SevdeskHttpError(422, `${plural} can only be created with the status DRAFT (100)`);
  if (!doc.currency) throw new SevdeskHttpError(422, 'Currency is required.');
  if (!positions?.length) throw new SevdeskHttpError(422, 'The given document must have at least one position');
  if (!doc.taxRule && !doc.taxType) throw new SevdeskHttpError(400, `${name}.taxRule: either taxRule or taxType is required`);
  if (!store.contacts.has(doc.contact.id)) throw new SevdeskHttpError(400, `${name}.contact: Contact with id ${doc.contact.id} does not exist`);
  if (doc.contactPerson.id !== store.user.id) throw new SevdeskHttpError(400, `${name}.contactPerson: SevUser with id ${doc.contactPerson.id} does not exist`);
  const allowed = ratesByTaxRule[doc.taxRule?.id ?? '1'];
  if (!allowed) throw new SevdeskHttpError(422, `${name}.taxRule: unknown tax rule ${doc.taxRule?.id}`);
  for (const position of positions) {
    if (!allowed.includes(String(position.taxRate)))
      throw new SevdeskHttpError(422, `taxRate ${position.taxRate} is not allowed for taxRule ${doc.taxRule?.id ?? '1'}`);
  }
}

/** Positions as sevDesk keeps them: numbers as strings, a missing price 0, numbered in order where none is given. */
export function storedPositions(store: SevdeskStore, positions: readonly PositionSave[] | null | undefined): StoredPosition[] {
  return (positions ?? []).map((p, index) => ({
    id: store.newId(),
    name: p.name ?? undefined,
    text: p.text ?? undefined,
    quantity: String(p.quantity),
    price: String(p.price ?? 0),
    taxRate: String(p.taxRate),
    discount: p.discount ? String(p.discount) : undefined,
    unityId: p.unity.id,
    positionNumber: p.positionNumber ?? index,
  }));
}
