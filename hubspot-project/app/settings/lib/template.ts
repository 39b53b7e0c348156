/**
 * Client-side copy of server/src/invoicing/template.ts (renderTemplate, unknownPlaceholders) for
 * the live text preview; settings/SettingsPage.test.tsx compares both on the same inputs.
 */
export type TemplateContext = Record<string, Record<string, string | undefined>>;

const placeholder = /\{\{\s*([a-z]+)\.([a-z_]+)\s*\}\}/gi;

export const knownPlaceholders = {
  deal: ['name', 'amount', 'currency', 'closedate', 'id'],
  company: ['name', 'city', 'vat_id'],
  contact: ['firstname', 'lastname', 'email'],
} as const;

export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(placeholder, (_match, scope: string, field: string) => context[scope.toLowerCase()]?.[field.toLowerCase()] ?? '').trim();
}

export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(placeholder)) {
    const scope = match[1].toLowerCase() as keyof typeof knownPlaceholders;
    const fields: readonly string[] | undefined = knownPlaceholders[scope];
    if (!fields?.includes(match[2].toLowerCase())) unknown.push(match[0]);
  }
  return unknown;
}

/** Sample deal for the preview; not real data. */
export const sampleContext: TemplateContext = {
  deal: { name: 'Website-Relaunch', amount: '4800.00', currency: 'EUR', closedate: '2026-03-31', id: '123456789' },
  company: { name: 'Beispiel GmbH', city: 'Berlin', vat_id: 'DE123456789' },
  contact: { firstname: 'Erika', lastname: 'Mustermann', email: 'erika@beispiel.de' },
};

export function placeholderList(): string[] {
  return Object.entries(knownPlaceholders).flatMap(([scope, fields]) => fields.map((f) => `{{${scope}.${f}}}`));
}
