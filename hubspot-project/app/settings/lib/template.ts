/**
 * Client-side copy of server/src/invoicing/template.ts (renderTemplate, unknownPlaceholders) for
 * the live text preview; settings/SettingsPage.test.tsx compares both on the same inputs.
 */
export type TemplateContext = Record<string, Record<string, string | undefined>>;

const placeholder = /\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}/gi;

export const knownPlaceholders = {
  deal: ['name', 'amount', 'currency', 'closedate', 'id'],
  company: ['name', 'city', 'vat_id'],
  contact: ['firstname', 'lastname', 'email'],
} as const;

/** Only listed fields, only own properties: `{{deal.constructor}}` renders empty (as on the server). */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template
    .replace(placeholder, (_match, scope: string, field: string) => {
      const key = known(scope, field);
      if (!key) return '';
      const values = Object.hasOwn(context, key.scope) ? context[key.scope] : undefined;
      const value = values && Object.hasOwn(values, key.field) ? values[key.field] : undefined;
      return typeof value === 'string' ? value : '';
    })
    .trim();
}

export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(placeholder)].filter((match) => !known(match[1], match[2])).map((match) => match[0]);
}

function known(scope: string, field: string): { scope: string; field: string } | undefined {
  const s = scope.toLowerCase();
  const f = field.toLowerCase();
  if (!Object.hasOwn(knownPlaceholders, s)) return undefined;
  const fields: readonly string[] = knownPlaceholders[s as keyof typeof knownPlaceholders];
  return fields.includes(f) ? { scope: s, field: f } : undefined;
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
