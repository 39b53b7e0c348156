/**
 * Our expectations of each component's config, from hubspot.md §1.4–1.7 (the fields HubSpot's
 * templates use). HubSpot's server-side schemas are not available offline; these catch what
 * matters to us: https only, our backend everywhere, entrypoints that exist, active subscriptions.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProjectNode } from './check-project';

const sidebarLocations = ['crm.record.sidebar', 'crm.record.tab', 'crm.preview', 'helpdesk.sidebar'];
const subscriptionType =
  /^(object\.(creation|deletion|merge|restore|propertyChange|associationChange)|(contact|company|deal|ticket|line_item|product)\.(creation|deletion|merge|restore|propertyChange|associationChange|privacyDeletion))$/;

export function nodeRules(srcDir: string, node: ProjectNode): string[] {
  const c = node.config;
  const at = (m: string) => `${node.file}: ${m}`;
  const problems: string[] = [];
  const unresolved = JSON.stringify(c).match(/\$\{[^}]*\}/g);
  if (unresolved) problems.push(at(`unresolved profile variables ${unresolved.join(', ')}`));
  const entrypoint = (value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith('/app/')) return problems.push(at('entrypoint must start with /app/'));
    if (!fs.existsSync(path.join(srcDir, value))) problems.push(at(`entrypoint ${value} does not exist`));
  };
  switch (node.type) {
    case 'app': {
      const auth = (c.auth ?? {}) as Record<string, unknown>;
      if (typeof c.name !== 'string' || !c.name || c.name.length > 200) problems.push(at('name required, at most 200 characters'));
      if (typeof c.description !== 'string' || !c.description) problems.push(at('description required'));
      if (auth.type !== 'oauth') problems.push(at('auth.type must be oauth'));
      for (const url of asStrings(auth.redirectUrls)) if (!url.startsWith('https://')) problems.push(at(`redirect URL ${url} is not https`));
      const fetchUrls = asStrings(((c.permittedUrls ?? {}) as Record<string, unknown>).fetch);
      if (fetchUrls.length === 0) problems.push(at('permittedUrls.fetch is empty'));
      for (const url of fetchUrls)
        if (!/^https:\/\/[^/]+$/.test(url) || url.includes('localhost')) problems.push(at(`fetch URL ${url} must be an https origin, not localhost`));
      break;
    }
    case 'card':
      if (!sidebarLocations.includes(String(c.location))) problems.push(at(`unknown location ${String(c.location)}`));
      if (asStrings(c.objectTypes).length === 0) problems.push(at('objectTypes is empty'));
      entrypoint(c.entrypoint);
      break;
    case 'settings':
      entrypoint(c.entrypoint);
      break;
    case 'workflow-action':
      problems.push(...workflowActionRules(c).map(at));
      break;
    case 'webhooks': {
      const settings = (c.settings ?? {}) as Record<string, unknown>;
      if (!String(settings.targetUrl).startsWith('https://')) problems.push(at('targetUrl must be https'));
      if (typeof settings.maxConcurrentRequests !== 'number' || settings.maxConcurrentRequests < 5)
        problems.push(at('maxConcurrentRequests must be at least 5'));
      const groups = (c.subscriptions ?? {}) as Record<string, unknown>;
      for (const sub of Object.values(groups).flatMap((g) => (Array.isArray(g) ? g : [])) as Array<Record<string, unknown>>) {
        if (!subscriptionType.test(String(sub.subscriptionType))) problems.push(at(`unknown subscriptionType ${String(sub.subscriptionType)}`));
        if (sub.active !== true) problems.push(at(`${String(sub.subscriptionType)} ${String(sub.propertyName ?? '')} is not active`));
        if (String(sub.subscriptionType).endsWith('propertyChange') && !sub.propertyName) problems.push(at('propertyChange needs propertyName'));
      }
      break;
    }
  }
  return problems;
}

/**
 * A custom workflow action (fields as in HubSpot's 2026.03 template `workflow-actions-hsmeta.json`
 * in HubSpot/hubspot-project-components and
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/custom-workflow-actions):
 * https `actionUrl`, `supportedClients`, `objectTypes`, English labels at least, and a label in every
 * locale for every input and output field.
 */
function workflowActionRules(c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!String(c.actionUrl).startsWith('https://')) problems.push('actionUrl must be https');
  if (!Array.isArray(c.supportedClients) || c.supportedClients.length === 0) problems.push('supportedClients is empty');
  if (asStrings(c.objectTypes).length === 0) problems.push('objectTypes is empty');
  const names = (fields: unknown) =>
    Array.isArray(fields) ? fields.map((f) => String((f as { typeDefinition?: { name?: unknown } }).typeDefinition?.name)) : [];
  const labels = (c.labels ?? {}) as Record<string, Record<string, unknown>>;
  if (!labels.en) problems.push('labels.en is required');
  for (const [locale, l] of Object.entries(labels)) {
    if (typeof l.actionName !== 'string' || !l.actionName) problems.push(`labels.${locale}.actionName is required`);
    for (const [group, fields] of [
      ['inputFieldLabels', c.inputFields],
      ['outputFieldLabels', c.outputFields],
    ] as const) {
      const given = (l[group] ?? {}) as Record<string, unknown>;
      for (const name of names(fields)) if (typeof given[name] !== 'string') problems.push(`labels.${locale}.${group} has no label for ${name}`);
    }
  }
  return problems;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
