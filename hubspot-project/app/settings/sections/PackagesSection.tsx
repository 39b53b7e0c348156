import { useState } from 'react';
import { Button, ButtonRow, Checkbox, Flex, Link, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { PackageAction, PackageView } from '../lib/api';
import { formatDate } from '@apiup/ui-shared/format';
import type { Translate } from '../lib/i18n';
import type { Lang } from '@apiup/ui-shared/origin';
import { useAction } from '@apiup/ui-shared/use-remote';
import { Section, succeeded, type SectionProps } from './common';

const actionLabels = { activate: 'packages.activate', cancel: 'packages.cancel' } as const;

/** Packages with their trial or booking state; several can be selected and changed at once. */
export function PackagesSection(props: SectionProps) {
  const { api, t, lang, settings, reloadSettings, alert } = props;
  const [selected, setSelected] = useState<string[]>([]);
  const [checkouts, setCheckouts] = useState<Array<{ packageId: string; url: string }>>([]);
  const [portalUrl, setPortalUrl] = useState<string | undefined>();
  const action = useAction();

  // Booking opens Stripe's hosted Checkout, one per package; the state changes when Stripe confirms the payment.
  const book = async () => {
    const result = await action.run(() => api.checkout(selected));
    if (succeeded(result, props)) setCheckouts(result.sessions);
  };
  const openPortal = async () => {
    const result = await action.run(() => api.billingPortal());
    if (succeeded(result, props)) setPortalUrl(result.url);
  };

  const apply = async (kind: PackageAction) => {
    let done = 0;
    for (const id of selected) {
      const result = await action.run(() => api.packageAction(id, kind));
      if (succeeded(result, props)) done++;
    }
    alert(done === selected.length ? 'success' : 'warning', t('packages.done', { count: done }));
    setSelected([]);
    reloadSettings();
  };

  return (
    <Section title={t('packages.title')} testId="section-packages">
      <Flex direction="column" gap="xs">
        {settings.packages.map((p) => (
          <Flex key={p.id} direction="row" gap="sm" align="center">
            <Checkbox
              name={`package-${p.id}`}
              checked={selected.includes(p.id)}
              onChange={(checked) => setSelected((s) => (checked ? [...s, p.id] : s.filter((x) => x !== p.id)))}
              testId={`package-${p.id}`}
            >
              {p.names[lang]}
            </Checkbox>
            <Text variant="microcopy" testId={`package-state-${p.id}`}>
              {stateText(p, t, lang)}
            </Text>
          </Flex>
        ))}
        {checkouts.map((c) => (
          <Link key={c.packageId} href={{ url: c.url, external: true }} testId={`checkout-${c.packageId}`}>
            {t('packages.pay', { name: settings.packages.find((p) => p.id === c.packageId)?.names[lang] ?? c.packageId })}
          </Link>
        ))}
        {portalUrl ? (
          <Link href={{ url: portalUrl, external: true }} testId="billing-portal-link">
            {t('packages.portal.open')}
          </Link>
        ) : null}
        <ButtonRow>
          <LoadingButton loading={action.busy} disabled={selected.length === 0} onClick={book} variant="primary" size="sm" testId="packages-book">
            {t('packages.book')}
          </LoadingButton>
          <Button onClick={openPortal} size="sm" testId="billing-portal">
            {t('packages.portal')}
          </Button>
          {(['activate', 'cancel'] as const).map((kind) => (
            <LoadingButton
              key={kind}
              loading={action.busy}
              disabled={selected.length === 0}
              onClick={() => apply(kind)}
              variant={kind === 'cancel' ? 'destructive' : 'secondary'}
              size="sm"
              testId={`packages-${kind}`}
            >
              {t(actionLabels[kind])}
            </LoadingButton>
          ))}
        </ButtonRow>
      </Flex>
    </Section>
  );
}

function stateText(p: PackageView, t: Translate, lang: Lang): string {
  const s = p.state;
  if (s.state === 'trial') return t('packages.state.trial', { days: s.daysLeft ?? 0 });
  if (s.state === 'past_due') return t('packages.state.past_due', { date: s.graceEndsAt ? formatDate(new Date(s.graceEndsAt).toISOString(), lang) : '' });
  if (s.state === 'cancelled_until')
    return t('packages.state.cancelled_until', { date: s.periodEndsAt ? formatDate(new Date(s.periodEndsAt).toISOString(), lang) : '' });
  return t(`packages.state.${s.state}`);
}
