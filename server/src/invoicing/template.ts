/**
 * Text templates for invoice title, introduction, payment terms and closing text:
 * `{{deal.name}}`, `{{company.name}}`, `{{contact.firstname}}` … Unknown placeholders render empty
 * and are reported by `placeholdersIn` so the settings page can warn before saving.
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

/** Placeholders in the template that we do not know. */
export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(placeholder)) {
    const scope = match[1].toLowerCase() as keyof typeof knownPlaceholders;
    const fields: readonly string[] | undefined = knownPlaceholders[scope];
    if (!fields?.includes(match[2].toLowerCase())) unknown.push(match[0]);
  }
  return unknown;
}
