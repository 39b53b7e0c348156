/**
 * Text templates for invoice title, introduction, payment terms and closing text:
 * `{{deal.name}}`, `{{company.name}}`, `{{contact.firstname}}` … Unknown placeholders render empty
 * and are reported by `placeholdersIn` so the settings page can warn before saving.
 */
export type TemplateContext = Record<string, Record<string, string | undefined>>;

const placeholder = /\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}/gi;

export const knownPlaceholders = {
  deal: ['name', 'amount', 'currency', 'closedate', 'id'],
  company: ['name', 'city', 'vat_id'],
  contact: ['firstname', 'lastname', 'email'],
} as const;

/**
 * Only the fields listed in `knownPlaceholders` are looked up, and only as own properties: a name
 * such as `constructor` or `__proto__` renders empty instead of reaching `Object.prototype`.
 */
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

/** Placeholders in the template that we do not know. */
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
