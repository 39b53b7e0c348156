/**
 * The HubSpot-defined properties and groups each emulated object starts with (shape: properties.json
 * `Property` / `PropertyGroup`). Only the properties APIUP reads or writes, plus the system ones HubSpot maintains.
 */
import type { ObjectType } from './object-types';

export interface PropertyDef {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: Array<{ label: string; value: string; displayOrder?: number; hidden: boolean }>;
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  calculated: boolean;
  /** Maintained by HubSpot; writes through the API are ignored. */
  readOnlyValue: boolean;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PropertyGroupDef {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

type Seed = [name: string, label: string, type: string, fieldType: string, extra?: Partial<PropertyDef>];

const system: Seed[] = [['hs_object_id', 'Record ID', 'number', 'number', { readOnlyValue: true }]];
const created: Seed = ['createdate', 'Create Date', 'datetime', 'date'];
const modified: Seed = ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', { readOnlyValue: true }];
const options = (values: string[]) => values.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false }));
const currencies = options(['EUR', 'CHF', 'USD', 'GBP']);

const seeds: Record<ObjectType, { group: [string, string]; props: Seed[] }> = {
  contacts: {
    group: ['contactinformation', 'Contact information'],
    props: [
      ['email', 'Email', 'string', 'text', { hasUniqueValue: true }],
      ['firstname', 'First Name', 'string', 'text'],
      ['lastname', 'Last Name', 'string', 'text'],
      ['phone', 'Phone Number', 'string', 'phonenumber'],
      ['company', 'Company Name', 'string', 'text'],
      ['address', 'Street Address', 'string', 'text'],
      ['city', 'City', 'string', 'text'],
      ['zip', 'Postal Code', 'string', 'text'],
      ['country', 'Country/Region', 'string', 'text'],
      created,
      ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', { readOnlyValue: true }],
      ...system,
    ],
  },
  companies: {
    group: ['companyinformation', 'Company information'],
    props: [
      ['name', 'Company name', 'string', 'text'],
      ['domain', 'Company Domain Name', 'string', 'text'],
      ['website', 'Website URL', 'string', 'text'],
      ['phone', 'Phone Number', 'string', 'phonenumber'],
      ['address', 'Street Address', 'string', 'text'],
      ['city', 'City', 'string', 'text'],
      ['zip', 'Postal Code', 'string', 'text'],
      ['country', 'Country/Region', 'string', 'text'],
      created,
      modified,
      ...system,
    ],
  },
  deals: {
    group: ['dealinformation', 'Deal information'],
    props: [
      ['dealname', 'Deal Name', 'string', 'text'],
      ['amount', 'Amount', 'number', 'number'],
      ['closedate', 'Close Date', 'datetime', 'date'],
      ['dealstage', 'Deal Stage', 'enumeration', 'radio'],
      ['pipeline', 'Pipeline', 'enumeration', 'select'],
      ['deal_currency_code', 'Currency', 'enumeration', 'select', { options: currencies }],
      ['description', 'Deal Description', 'string', 'textarea'],
      // HubSpot's own deal properties that recorded reads list (server/test/recorded/hubspot/deal-read-with-associations.json);
      // the option values are HubSpot's defaults as public integrations send them. Owners are not emulated: any id is taken.
      ['dealtype', 'Deal Type', 'enumeration', 'radio', { options: options(['newbusiness', 'existingbusiness']) }],
      ['hs_priority', 'Priority', 'enumeration', 'select', { options: options(['low', 'medium', 'high']) }],
      ['hubspot_owner_id', 'Deal owner', 'enumeration', 'select'],
      // hubspot.md §6.3: the name `hs_is_closed_won` is UNCONFIRMED; the sandbox derives it from the stage metadata.
      ['hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', { readOnlyValue: true, calculated: true }],
      created,
      modified,
      ...system,
    ],
  },
  line_items: {
    group: ['lineiteminformation', 'Line item information'],
    props: [
      ['name', 'Name', 'string', 'text'],
      ['description', 'Description', 'string', 'textarea'],
      ['hs_sku', 'SKU', 'string', 'text'],
      ['quantity', 'Quantity', 'number', 'number'],
      ['price', 'Unit price', 'number', 'number'],
      ['amount', 'Net price', 'number', 'number', { readOnlyValue: true, calculated: true }],
      ['hs_discount_percentage', 'Discount Percentage', 'number', 'number'],
      ['discount', 'Unit discount', 'number', 'number'],
      ['hs_product_id', 'Product ID', 'number', 'number'],
      ['hs_tax_rate_group_id', 'Tax rate', 'string', 'text'],
      // §6.6: the line-item currency property name is UNCONFIRMED; HubSpot clients commonly use this one.
      ['hs_line_item_currency_code', 'Currency', 'enumeration', 'select', { options: currencies }],
      created,
      modified,
      ...system,
    ],
  },
  quotes: {
    group: ['quoteinformation', 'Quote information'],
    props: [
      ['hs_title', 'Quote Name', 'string', 'text'],
      ['hs_expiration_date', 'Expiration Date', 'datetime', 'date'],
      ['hs_status', 'Quote approval status', 'enumeration', 'select'],
      ['hs_public_url_key', 'Public URL key', 'string', 'text'],
      ['hs_currency', 'Currency', 'enumeration', 'select', { options: currencies }],
      ['hs_createdate', 'Create Date', 'datetime', 'date'],
      modified,
      ...system,
    ],
  },
};

export function defaultGroups(type: ObjectType): PropertyGroupDef[] {
  const [name, label] = seeds[type].group;
  return [{ name, label, displayOrder: -1, archived: false }];
}

export function defaultPropertyDefs(type: ObjectType, now: number): PropertyDef[] {
  const groupName = seeds[type].group[0];
  return seeds[type].props.map(([name, label, propertyType, fieldType, extra], index) => ({
    name,
    label,
    type: propertyType,
    fieldType,
    groupName,
    description: '',
    options: [],
    displayOrder: index,
    hasUniqueValue: false,
    hidden: false,
    formField: false,
    hubspotDefined: true,
    calculated: false,
    readOnlyValue: false,
    createdAt: now,
    updatedAt: now,
    archived: false,
    ...extra,
  }));
}
