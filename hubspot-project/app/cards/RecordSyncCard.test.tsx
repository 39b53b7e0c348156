import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, ErrorState, Link, LoadingButton, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { CompanySyncCard } from './CompanySyncCard';
import { ContactSyncCard } from './ContactSyncCard';
import { deferred, stubBackend, type Answer } from './test-utils/backend';
import { accepted, makeRecordSync, noFeatures } from './test-utils/fixtures';
import { allText } from './test-utils/text';

function renderContact(locale = 'en') {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.user.locale = locale;
  renderer.mocks.context.portal.timezone = 'Europe/Berlin';
  renderer.mocks.context.extension = { appId: 31415926, appName: 'APIUP' };
  renderer.render(<ContactSyncCard />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('contact and company sync cards', () => {
  it('shows a spinner while loading', () => {
    const answer = deferred<Answer>();
    stubBackend({ 'GET /api/v1/contacts/123/sync': () => answer.promise });
    const { find } = renderContact();
    expect(find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('shows the linked accounting record and the last sync', async () => {
    stubBackend({ 'GET /api/v1/contacts/123/sync': { body: makeRecordSync() } });
    const { findByTestId, waitFor } = renderContact();
    await waitFor(() => expect(findByTestId(Text, 'record-link').text).toBe('Linked to sevDesk record 4711'));
    expect(findByTestId(Text, 'record-last-sync').text).toBe('31 Mar 2026, 02:00');
  });

  it('says so when nothing is linked yet (German)', async () => {
    stubBackend({ 'GET /api/v1/contacts/123/sync': { body: makeRecordSync({ link: null }) } });
    const { findByTestId, waitFor } = renderContact('de-DE');
    await waitFor(() => expect(findByTestId(Text, 'record-link').text).toBe('Noch mit keinem Datensatz in der Buchhaltung verknüpft.'));
    expect(findByTestId(LoadingButton, 'sync-now').text).toBe('Jetzt abgleichen');
  });

  it('sends POST /api/v1/companies/:id/sync when "sync now" is clicked on a company', async () => {
    const backend = stubBackend({ 'GET /api/v1/companies/123/sync': { body: makeRecordSync() }, 'POST /api/v1/companies/123/sync': accepted });
    const renderer = createRenderer('crm.record.sidebar');
    renderer.render(<CompanySyncCard />);
    await renderer.waitFor(() => renderer.findByTestId(LoadingButton, 'sync-now'));
    renderer.findByTestId(LoadingButton, 'sync-now').trigger('onClick');
    await renderer.waitFor(() => expect(backend.calls('POST', '/api/v1/companies/123/sync')).toHaveLength(1));
    expect(backend.calls('POST', '/api/v1/companies/123/sync')[0].body).toEqual({});
    await renderer.waitFor(() => expect(renderer.mocks.actions.addAlert.calls[0][0]).toMatchObject({ type: 'success', message: 'Sync queued.' }));
  });

  it('resolves a conflict with the picked vendor record or by creating a new one', async () => {
    const conflict = {
      id: 9,
      candidates: [
        { vendorId: 'A1', name: 'Muster GmbH', email: 'a@muster.de' },
        { vendorId: 'B2', name: 'Muster GmbH (alt)' },
      ],
    };
    const backend = stubBackend({
      'GET /api/v1/contacts/123/sync': { body: makeRecordSync({ link: null, conflict }) },
      'POST /api/v1/settings/conflicts/9/resolve': { body: { resolved: true } },
    });
    const { findByTestId, waitFor } = renderContact();
    await waitFor(() => expect(findByTestId(Alert, 'conflict').props.title).toBe('Several accounting records match'));
    expect(findByTestId(Button, 'pick-A1').text).toBe('Use Muster GmbH <a@muster.de>');
    findByTestId(Button, 'pick-B2').trigger('onClick');
    await waitFor(() => expect(backend.calls('POST', '/api/v1/settings/conflicts/9/resolve')).toHaveLength(1));
    await waitFor(() => findByTestId(Button, 'create-new'));
    findByTestId(Button, 'create-new').trigger('onClick');
    await waitFor(() =>
      expect(backend.calls('POST', '/api/v1/settings/conflicts/9/resolve').map((c) => c.body)).toEqual([{ vendorId: 'B2' }, { create: true }]),
    );
  });

  it('explains that sync needs a package and disables "sync now" after the trial', async () => {
    stubBackend({ 'GET /api/v1/contacts/123/sync': { body: makeRecordSync({ features: noFeatures }) } });
    const { findByTestId, waitFor } = renderContact();
    await waitFor(() => expect(allText(findByTestId(Alert, 'notice-plan'))).toContain('Contact sync needs an active package'));
    expect(findByTestId(LoadingButton, 'sync-now').props.disabled).toBe(true);
    expect(findByTestId(Link, 'notice-plan-settings').props.href).toBe(
      'https://app.hubspot.com/integrations-settings/123/installed/framework/31415926/general-settings',
    );
  });

  it('shows the backend error with a way to try again', async () => {
    stubBackend({ 'GET /api/v1/contacts/123/sync': { status: 401, body: { error: { code: 'unauthenticated', message: 'Signature check failed.' } } } });
    const { find, waitFor } = renderContact();
    await waitFor(() => expect(allText(find(ErrorState))).toContain('Signature check failed.'));
  });

  it.each([
    ['not_connected', 'notice-connect', 'Connect'],
    ['needs_reauth', 'notice-reauth', 'Re-authorise'],
  ])('offers the install link when the portal is %s', async (status, testId, action) => {
    stubBackend({ 'GET /api/v1/contacts/123/sync': { body: makeRecordSync({ portal: { status }, link: null, connection: null }) } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderContact();
    await waitFor(() => expect(findByTestId(Alert, testId).find(Button).text).toBe(action));
    expect(findByTestId(Alert, testId).find(Button).props.href).toEqual({ url: 'https://api.apiup.app/oauth/install', external: true });
    expect(maybeFindByTestId(Alert, status === 'needs_reauth' ? 'notice-connect' : 'notice-reauth')).toBeNull();
  });

  it('shows no HubSpot notice for a connected portal', async () => {
    stubBackend({ 'GET /api/v1/contacts/123/sync': { body: makeRecordSync() } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderContact();
    await waitFor(() => findByTestId(Text, 'record-link'));
    expect(maybeFindByTestId(Alert, 'notice-connect')).toBeNull();
    expect(maybeFindByTestId(Alert, 'notice-reauth')).toBeNull();
  });
});
