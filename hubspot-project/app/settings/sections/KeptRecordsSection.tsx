import { Flex, Text } from '@hubspot/ui-extensions';
import { useRemote } from '@apiup/ui-shared/use-remote';
import { Remote, Section, type SectionProps } from './common';

/** Accounting records whose HubSpot record was deleted and that the accounting system keeps: the sync leaves them alone. */
export function KeptRecordsSection(props: SectionProps) {
  const { api, t, settings } = props;
  const { screen, reload } = useRemote(() => api.keptRecords(), [api]);
  const providerLabel = (id: string | null) => settings.providers.find((p) => p.id === id)?.label ?? id ?? '';

  return (
    <Remote
      screen={screen}
      t={t}
      reload={reload}
      render={({ provider, kept }) => {
        const label = providerLabel(provider);
        return (
          <Section title={t('kept.title', { provider: label })} testId="section-kept">
            <Text testId="kept-intro">{t('kept.intro', { provider: label })}</Text>
            {kept.length === 0 ? (
              <Text testId="kept-none">{t('kept.none')}</Text>
            ) : (
              <Flex direction="column" gap="xs">
                {kept.map((k) => (
                  <Text key={k.vendorId} testId={`kept-${k.vendorId}`}>
                    {t('kept.item', { type: t(`kept.type.${k.objectType}`), name: k.name, provider: label, id: k.vendorId })}
                  </Text>
                ))}
              </Flex>
            )}
          </Section>
        );
      }}
    />
  );
}
