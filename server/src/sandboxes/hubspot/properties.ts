/**
 * Properties and property groups (spec properties.json `getAll`, `create`, `getByName`, batch `create`/`read`,
 * groups `getAll`/`create`/`getByName`; hubspot.md §6.4). Duplicate names answer 409; `type`/`fieldType`
 * pairs are checked as HubSpot documents them.
 */
import { Router } from 'express';
import { authOf, type SandboxContext } from './context';
import { conflict, notFound, validationError } from './errors';
import type { PropertyDef, PropertyGroupDef } from './default-properties';
import type { ObjectType } from './object-types';
import { batchInputs, batchTimes, bodyOf, objectTypeParam } from './request-helpers';
import { isoTime, type PortalState } from './store';

/** Allowed `fieldType`s per `type` (§6.4). */
const fieldTypesByType: Record<string, string[]> = {
  string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  bool: ['booleancheckbox'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  phone_number: ['phonenumber', 'text'],
};

export function propertiesRouter(ctx: SandboxContext): Router {
  const router = Router();
  const scope = (res: Parameters<typeof authOf>[0], raw: string) => ({ portal: authOf(res).portal, type: objectTypeParam(raw) });

  router.get('/crm/v3/properties/:objectType', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const archived = String(req.query.archived) === 'true';
    res.json({ results: [...portal.properties[type].values()].filter((p) => p.archived === archived).map(toPublicProperty) });
  });

  router.post('/crm/v3/properties/:objectType', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    res.status(201).json(toPublicProperty(createProperty(ctx, portal, type, bodyOf(req))));
  });

  router.post('/crm/v3/properties/:objectType/batch/create', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const startedAt = ctx.options.now();
    const inputs = batchInputs(req);
    const names = inputs.map((i) => String(i.name ?? ''));
    const duplicate = names.find((n, i) => names.indexOf(n) !== i || portal.properties[type].has(n));
    if (duplicate) throw conflict(`Property named '${duplicate}' already exists.`);
    inputs.forEach((input) => validatePropertyInput(portal, type, input));
    const results = inputs.map((input) => toPublicProperty(createProperty(ctx, portal, type, input)));
    res.status(201).json({ ...batchTimes(startedAt, ctx.options.now()), results });
  });

  router.post('/crm/v3/properties/:objectType/batch/read', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const startedAt = ctx.options.now();
    const results = batchInputs(req)
      .map((i) => portal.properties[type].get(String(i.name ?? '')))
      .filter((p): p is PropertyDef => Boolean(p && !p.archived))
      .map(toPublicProperty);
    res.json({ ...batchTimes(startedAt, ctx.options.now()), results });
  });

  router.get('/crm/v3/properties/:objectType/groups', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    res.json({ results: [...portal.groups[type].values()].filter((g) => !g.archived) });
  });

  router.post('/crm/v3/properties/:objectType/groups', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const body = bodyOf(req);
    const name = typeof body.name === 'string' ? body.name : '';
    const label = typeof body.label === 'string' ? body.label : '';
    if (!name || !label) throw validationError('name and label are required');
    if (portal.groups[type].has(name)) throw conflict(`Property group named '${name}' already exists.`);
    const group: PropertyGroupDef = { name, label, displayOrder: Number.isInteger(body.displayOrder) ? Number(body.displayOrder) : -1, archived: false };
    portal.groups[type].set(name, group);
    res.status(201).json(group);
  });

  router.get('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const group = portal.groups[type].get(req.params.groupName);
    if (!group || group.archived) throw notFound(`Unable to find property group ${req.params.groupName}`);
    res.json(group);
  });

  router.get('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const property = portal.properties[type].get(req.params.propertyName);
    if (!property || property.archived) throw notFound(`Unable to find property ${req.params.propertyName}`);
    res.json(toPublicProperty(property));
  });

  // Spec properties.json `update`: changes label, description, group, display order, hidden and the
  // options (the list is replaced); name and type stay.
  router.patch('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const { portal, type } = scope(res, req.params.objectType);
    const property = portal.properties[type].get(req.params.propertyName);
    if (!property || property.archived) throw notFound(`Unable to find property ${req.params.propertyName}`);
    const body = bodyOf(req);
    if (typeof body.groupName === 'string' && !portal.groups[type].has(body.groupName))
      throw validationError(`Property group '${body.groupName}' does not exist`);
    if (body.options !== undefined && (!Array.isArray(body.options) || (property.type === 'enumeration' && body.options.length === 0))) {
      throw validationError('options must be a non-empty array for enumeration properties');
    }
    for (const field of ['label', 'description', 'groupName'] as const) if (typeof body[field] === 'string') property[field] = body[field] as string;
    if (Number.isInteger(body.displayOrder)) property.displayOrder = Number(body.displayOrder);
    if (typeof body.hidden === 'boolean') property.hidden = body.hidden;
    if (Array.isArray(body.options)) property.options = toOptions(body.options as PropertyDef['options']);
    property.updatedAt = ctx.options.now();
    res.json(toPublicProperty(property));
  });

  return router;
}

function toOptions(options: PropertyDef['options']): PropertyDef['options'] {
  return options.map((o, i) => ({ label: String(o.label), value: String(o.value), displayOrder: o.displayOrder ?? i, hidden: Boolean(o.hidden) }));
}

function validatePropertyInput(portal: PortalState, type: ObjectType, input: Record<string, unknown>): void {
  for (const field of ['name', 'label', 'type', 'fieldType', 'groupName']) {
    if (typeof input[field] !== 'string' || !input[field]) throw validationError(`${field} is required`, { context: { missingFields: [field] } });
  }
  const name = String(input.name);
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    throw validationError(`Property name '${name}' must start with a letter and contain only lower-case letters, digits and _`);
  const allowed = fieldTypesByType[String(input.type)];
  if (!allowed) throw validationError(`Unknown property type '${String(input.type)}'`);
  if (!allowed.includes(String(input.fieldType))) throw validationError(`fieldType '${String(input.fieldType)}' is not valid for type '${String(input.type)}'`);
  if (!portal.groups[type].has(String(input.groupName))) throw validationError(`Property group '${String(input.groupName)}' does not exist`);
  if (input.type === 'enumeration' && (!Array.isArray(input.options) || input.options.length === 0)) {
    throw validationError('enumeration properties need options');
  }
}

function createProperty(ctx: SandboxContext, portal: PortalState, type: ObjectType, input: Record<string, unknown>): PropertyDef {
  if (portal.properties[type].has(String(input.name ?? ''))) throw conflict(`Property named '${String(input.name)}' already exists.`);
  validatePropertyInput(portal, type, input);
  const now = ctx.options.now();
  const options = Array.isArray(input.options) ? (input.options as PropertyDef['options']) : [];
  const property: PropertyDef = {
    name: String(input.name),
    label: String(input.label),
    type: String(input.type),
    fieldType: String(input.fieldType),
    groupName: String(input.groupName),
    description: typeof input.description === 'string' ? input.description : '',
    options: toOptions(options),
    displayOrder: Number.isInteger(input.displayOrder) ? Number(input.displayOrder) : -1,
    hasUniqueValue: input.hasUniqueValue === true,
    hidden: input.hidden === true,
    formField: input.formField === true,
    hubspotDefined: false,
    calculated: false,
    readOnlyValue: false,
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
  portal.properties[type].set(property.name, property);
  return property;
}

function toPublicProperty(p: PropertyDef) {
  const { readOnlyValue, createdAt, updatedAt, ...rest } = p;
  return {
    ...rest,
    createdAt: isoTime(createdAt),
    updatedAt: isoTime(updatedAt),
    modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue },
  };
}
