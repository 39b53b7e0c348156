/**
 * The CRM object types the HubSpot sandbox emulates, with every spelling HubSpot accepts in paths
 * (plural name, singular, type id `0-3`) and the default properties a GET returns when none are asked for.
 */
export type ObjectType = 'contacts' | 'companies' | 'deals' | 'line_items' | 'quotes';

export interface ObjectTypeInfo {
  name: ObjectType;
  /** HubSpot object type id, e.g. deals = `0-3` (hubspot.md §6.1). */
  typeId: string;
  /** Classic webhook prefix (`deal.propertyChange`); quotes have no classic events (§5). */
  singular: string;
  /** Returned by GET/list/search when `properties` is not given (HubSpot's documented defaults). */
  defaultProperties: string[];
  /** The last-modified property HubSpot maintains; contacts use `lastmodifieddate`. */
  modifiedProperty: string;
  /** Properties `query` full-text search looks at. */
  searchable: string[];
  hasMerge: boolean;
  /**
   * The key of this type's group in a v3 read's `associations` object. Not the path name: line items
   * come back as `"line items"`, with a space (hubspot.md §6.1; a recorded deal read, github crabroom-llc/estuate-app
   * events.js, in server/test/recorded/hubspot/deal-read-with-associations.json; public integrations read
   * `associations['line items']`).
   */
  associationGroupKey: string;
}

export const objectTypes: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    name: 'contacts',
    typeId: '0-1',
    singular: 'contact',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    modifiedProperty: 'lastmodifieddate',
    searchable: ['firstname', 'lastname', 'email', 'phone', 'company'],
    hasMerge: true,
    associationGroupKey: 'contacts',
  },
  companies: {
    name: 'companies',
    typeId: '0-2',
    singular: 'company',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    modifiedProperty: 'hs_lastmodifieddate',
    searchable: ['name', 'domain', 'website', 'phone'],
    hasMerge: true,
    associationGroupKey: 'companies',
  },
  deals: {
    name: 'deals',
    typeId: '0-3',
    singular: 'deal',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    modifiedProperty: 'hs_lastmodifieddate',
    searchable: ['dealname'],
    hasMerge: true,
    associationGroupKey: 'deals',
  },
  line_items: {
    name: 'line_items',
    typeId: '0-8',
    singular: 'line_item',
    defaultProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id', 'name', 'price', 'quantity'],
    modifiedProperty: 'hs_lastmodifieddate',
    searchable: ['name', 'hs_sku', 'description'],
    hasMerge: false,
    associationGroupKey: 'line items',
  },
  quotes: {
    name: 'quotes',
    typeId: '0-14',
    singular: 'quote',
    defaultProperties: ['hs_createdate', 'hs_expiration_date', 'hs_lastmodifieddate', 'hs_object_id', 'hs_public_url_key', 'hs_status', 'hs_title'],
    modifiedProperty: 'hs_lastmodifieddate',
    searchable: ['hs_title'],
    hasMerge: false,
    associationGroupKey: 'quotes',
  },
};

const aliases = new Map<string, ObjectType>();
for (const info of Object.values(objectTypes)) {
  aliases.set(info.name, info.name);
  aliases.set(info.typeId, info.name);
  aliases.set(info.singular, info.name);
}
aliases.set('lineitems', 'line_items');
aliases.set('line_item', 'line_items');

/** `deals`, `deal`, `0-3` (any case) → `deals`; undefined for types the sandbox does not emulate. */
export function resolveObjectType(raw: string): ObjectType | undefined {
  return aliases.get(raw.toLowerCase());
}
