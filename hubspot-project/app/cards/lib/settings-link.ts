/**
 * Where a card sends the user to fix what a notice names: the APIUP settings page (app/settings) in the
 * account the card runs in. HubSpot's docs name no action and no URL for "open this app's settings page"
 * from a card (@hubspot/ui-extensions 0.17.0 `navigateToPage` takes app pages only, actions.synced.d.ts).
 * The URL below is the one HubSpot shows for a developer-platform app's settings under Connected apps;
 * public integrations send users there after installing (e.g. a redirect to
 * `https://app.hubspot.com/integrations-settings/${portalId}/installed/framework/${appId}/general-settings`,
 * found with the search tool's code corpus). UNCONFIRMED as a documented contract; without the app id the
 * link opens the Connected apps list of the account, one click away.
 */
export function settingsPageUrl(context: { portal: { id: number }; extension?: { appId?: number | string } }): string {
  const base = `https://app.hubspot.com/integrations-settings/${context.portal.id}/installed`;
  const appId = context.extension?.appId;
  return appId ? `${base}/framework/${appId}/general-settings` : base;
}

/** Invoice reasons (server/src/invoicing/messages.ts) that a setting of the settings page fixes. */
export const settingsReasonCodes: ReadonlySet<string> = new Set([
  'plan_required',
  'no_accounting_connection',
  'no_line_items',
  'missing_tax_rate',
  'condition_currency',
  'condition_min_line_items',
  'condition_quote_required',
  'field_too_long',
]);
