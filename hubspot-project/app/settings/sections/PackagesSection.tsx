import { useState } from 'react';
import { ButtonRow, Checkbox, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { PackageAction, PackageView } from '../lib/api';
import { formatDate } from '../lib/format';
import type { Translate } from '../lib/i18n';
import type { Lang } from '../lib/origin';
import { useAction } from '../lib/use-remote';
import { Section, succeeded, type SectionProps } from './common';

const actionLabels = { activate: 'packages.activate', book: 'packages.book', cancel: 'packages.cancel' } as const;

/** Packages with their trial or booking state; several can be selected and changed at once. */
export function PackagesSection(props: SectionProps) {
  const { api, t, lang, settings, reloadSettings, alert } = props;
  const [selected, setSelected] = useState<string[]>([]);
  const action = useAction();

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
            <Checkbox name={`package-${p.id}`} checked={selected.includes(p.id)} onChange={(checked) => setSelected((s) => (checked ? [...s, p.id] : s.filter((x) => x !== p.id)))} testId={`package-${p.id}`}>
              {p.names[lang]}
            </Checkbox>
            <Text variant="microcopy" testId={`package-state-${p.id}`}>
              {stateText(p, t, lang)}
            </Text>
          </Flex>
        ))}
        <ButtonRow>
          {(['activate', 'book', 'cancel'] as const).map((kind) => (
            <LoadingButton key={kind} loading={action.busy} disabled={selected.length === 0} onClick={() => apply(kind)} variant={kind === 'cancel' ? 'destructive' : 'secondary'} size="sm" testId={`packages-${kind}`}>
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
  if (s.state === 'cancelled_until') return t('packages.state.cancelled_until', { date: s.periodEndsAt ? formatDate(new Date(s.periodEndsAt).toISOString(), lang) : '' });
  return t(`packages.state.${s.state}`);
}
