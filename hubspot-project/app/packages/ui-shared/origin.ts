/**
 * Where our backend lives. It must be listed in `permittedUrls.fetch` of app-hsmeta.json, which is
 * filled per environment from the config profile variable BACKEND_ORIGIN (hubspot-project/hsprofile.*.json).
 * Extensions receive profile variables as `context.variables` (typed in @hubspot/ui-extensions 0.17.0
 * context.synced.d.ts `BaseContext.variables`; that production fills it for cards is UNCONFIRMED),
 * so the variable wins and API_ORIGIN, the production value, is the fallback.
 * Shared by the cards and the settings page through the npm workspace package @apiup/ui-shared
 * (hubspot-project/README.md, "Shared code", says why and how HubSpot builds it).
 */
export const API_ORIGIN = 'https://api.apiup.app';

export function apiOrigin(context: { variables?: Record<string, unknown> }): string {
  const fromProfile = context.variables?.BACKEND_ORIGIN;
  return typeof fromProfile === 'string' && fromProfile.startsWith('https://') ? fromProfile.replace(/\/$/, '') : API_ORIGIN;
}

export type Lang = 'de' | 'en';

/** HubSpot's user locale (`de-de`, `de`, `en-us` …) to one of our two languages; English otherwise. */
export function langOf(context: { user?: { locale?: string; language?: string } }): Lang {
  const locale = context.user?.locale ?? context.user?.language ?? '';
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}
