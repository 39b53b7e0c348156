/**
 * Removes our app from one HubSpot account: `DELETE /appinstalls/v3/external-install` with that
 * account's access token (scope `oauth`; 204, and the account's super admins get an e-mail with a
 * link to reinstall; spec appUninstalls.json,
 * https://developers.hubspot.com/docs/api-reference/legacy/app-management/app-uninstalls/uninstall-app).
 * HubSpot sends no uninstall webhook, so "Disconnect portal" calls this while our tokens still work,
 * and deletes them only afterwards.
 */
import { HubspotError, type HubspotClients } from './client';
import { PortalNeedsReauth, PortalNotConnected } from './tokens';

/** `not_installed`: no token of ours works for the account any more, so there is no install left to remove. */
export type UninstallOutcome = 'uninstalled' | 'not_installed';

export async function uninstallApp(clients: HubspotClients, portalId: string): Promise<UninstallOutcome> {
  try {
    await clients.call(
      portalId,
      async (c) => {
        const response = await c.apiRequest({ method: 'DELETE', path: '/appinstalls/v3/external-install' });
        if (!response.ok) throw new HubspotError(response.status, `app uninstall answered ${response.status}`, await response.text());
      },
      { idempotent: true },
    );
    return 'uninstalled';
  } catch (error) {
    if (error instanceof PortalNotConnected || error instanceof PortalNeedsReauth) return 'not_installed';
    // A 401 that survives a token refresh: the account has already removed the app.
    if (error instanceof HubspotError && error.status === 401) return 'not_installed';
    throw error;
  }
}
