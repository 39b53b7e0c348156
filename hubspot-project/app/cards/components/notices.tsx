import { Alert, Button, Link, Text } from '@hubspot/ui-extensions';
import type { Translate } from '../lib/i18n';

/** The app lost its HubSpot tokens: only an admin re-running the install flow fixes that. */
export function ReauthNotice({ t, origin }: { t: Translate; origin: string }) {
  return (
    <Alert title={t('notice.reauth.title')} variant="danger" testId="notice-reauth">
      <Text>{t('notice.reauth.body')}</Text>
      <Button href={{ url: `${origin}/oauth/install`, external: true }} size="sm">
        {t('notice.reauth.action')}
      </Button>
    </Alert>
  );
}

/** APIUP has no tokens for this HubSpot account (never installed, or disconnected): an admin connects it with the install link. */
export function ConnectNotice({ t, origin }: { t: Translate; origin: string }) {
  return (
    <Alert title={t('notice.connect.title')} variant="warning" testId="notice-connect">
      <Text>{t('notice.connect.body')}</Text>
      <Button href={{ url: `${origin}/oauth/install`, external: true }} size="sm" variant="primary">
        {t('notice.connect.action')}
      </Button>
    </Alert>
  );
}

/** The backend's answer when the HubSpot connection is missing or refused, as the notice that fixes it; `null` for any other error. */
export function hubspotConnectionNotice(code: string, t: Translate, origin: string) {
  if (code === 'hubspot_not_connected') return <ConnectNotice t={t} origin={origin} />;
  if (code === 'hubspot_needs_reauth') return <ReauthNotice t={t} origin={origin} />;
  return null;
}

/** The way to the settings page, under every notice whose fix is a setting (a HubSpot page: same tab). */
export function SettingsLink({ t, url, testId }: { t: Translate; url: string; testId: string }) {
  return (
    <Link href={url} testId={testId}>
      {t('notice.openSettings')}
    </Link>
  );
}

/** No active package: the trial ran out, was cancelled, or was never started. */
export function PlanNotice({ t, body, settingsUrl }: { t: Translate; body: 'notice.plan.body' | 'record.plan.body'; settingsUrl: string }) {
  return (
    <Alert title={t('notice.plan.title')} variant="warning" testId="notice-plan">
      <Text>{t(body)}</Text>
      <SettingsLink t={t} url={settingsUrl} testId="notice-plan-settings" />
    </Alert>
  );
}

export function ConnectionNotice({ t, settingsUrl }: { t: Translate; settingsUrl: string }) {
  return (
    <Alert title={t('notice.noConnection.title')} variant="info" testId="notice-connection">
      <Text>{t('notice.noConnection.body')}</Text>
      <SettingsLink t={t} url={settingsUrl} testId="notice-connection-settings" />
    </Alert>
  );
}
