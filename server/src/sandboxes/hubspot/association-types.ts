/**
 * HubSpot-defined association types between the emulated objects (hubspot.md §6.2). Direction matters:
 * each id has an inverse. Ids from the fact sheet; contact↔company (1/2, 279/280) and contact→quote (70),
 * company→quote (72) are not in the fact sheet and are UNCONFIRMED (common client-code values).
 */
import type { ObjectType } from './object-types';

export interface AssociationTypeDef {
  typeId: number;
  from: ObjectType;
  to: ObjectType;
  inverse: number;
  /** HubSpot labels only the "Primary" types; unlabeled ones have no label. */
  label?: string;
  /** The type `/associations/default/` creates. */
  isDefault: boolean;
  /** Classic webhook `associationType`, e.g. `DEAL_TO_CONTACT` (§5). */
  classicName: string;
  /**
   * The `type` of a v3 object read's association result (`?associations=`): `deal_to_line_item`; where a
   * pair also has a Primary type, the Primary one is `deal_to_company` and the other `deal_to_company_unlabeled`
   * (hubspot.md §6.1, recorded answers in server/test/recorded/hubspot/).
   */
  v3Name: string;
}

type Pair = [from: ObjectType, to: ObjectType, id: number, inverse: number, label: string | undefined, isDefault: boolean];

const pairs: Pair[] = [
  ['deals', 'contacts', 3, 4, undefined, true],
  ['deals', 'companies', 341, 342, undefined, true],
  ['deals', 'companies', 5, 6, 'Primary', false],
  ['contacts', 'companies', 279, 280, undefined, true],
  ['contacts', 'companies', 1, 2, 'Primary', false],
  ['deals', 'line_items', 19, 20, undefined, true],
  ['deals', 'quotes', 63, 64, undefined, true],
  ['quotes', 'line_items', 67, 68, undefined, true],
  ['quotes', 'contacts', 69, 70, undefined, true],
  ['quotes', 'companies', 71, 72, undefined, true],
];

const singularUpper: Record<ObjectType, string> = {
  contacts: 'CONTACT',
  companies: 'COMPANY',
  deals: 'DEAL',
  line_items: 'LINE_ITEM',
  quotes: 'QUOTE',
};

export const associationTypes = new Map<number, AssociationTypeDef>();
for (const [from, to, id, inverse, label, isDefault] of pairs) {
  const classic = (a: ObjectType, b: ObjectType) => `${singularUpper[a]}_TO_${singularUpper[b]}`;
  const hasPrimary = pairs.some(([f, t, , , l]) => f === from && t === to && l === 'Primary');
  const v3 = (a: ObjectType, b: ObjectType) => classic(a, b).toLowerCase() + (hasPrimary && !label ? '_unlabeled' : '');
  associationTypes.set(id, { typeId: id, from, to, inverse, label, isDefault, classicName: classic(from, to), v3Name: v3(from, to) });
  associationTypes.set(inverse, { typeId: inverse, from: to, to: from, inverse: id, label, isDefault, classicName: classic(to, from), v3Name: v3(to, from) });
}

export function typesBetween(from: ObjectType, to: ObjectType): AssociationTypeDef[] {
  return [...associationTypes.values()].filter((t) => t.from === from && t.to === to);
}

/** The Primary type between two object types (deal→company 5, contact→company 1), if there is one. */
export function primaryTypeBetween(from: ObjectType, to: ObjectType): AssociationTypeDef | undefined {
  return typesBetween(from, to).find((t) => t.label === 'Primary');
}

export function defaultTypeBetween(from: ObjectType, to: ObjectType): AssociationTypeDef | undefined {
  return typesBetween(from, to).find((t) => t.isDefault);
}
