import { Button, ButtonRow, Flex, Text } from '@hubspot/ui-extensions';
import { useAction, useRemote } from '@apiup/ui-shared/use-remote';
import { Remote, Section, succeeded, type SectionProps } from './common';

/** Records where several accounting records match: the user picks one or creates a new one. */
export function ConflictsSection(props: SectionProps) {
  const { api, t, alert } = props;
  const { screen, reload } = useRemote(() => api.conflicts(), [api]);
  const action = useAction();
  const resolve = async (conflictId: string, vendorId: string | null) => {
    const result = await action.run(() => api.resolveConflict(conflictId, vendorId));
    if (!succeeded(result, props)) return;
    alert('success', t('conflicts.resolved'));
    reload();
  };

  return (
    <Section title={t('conflicts.title')} testId="section-conflicts">
      <Remote
        screen={screen}
        t={t}
        reload={reload}
        render={({ conflicts }) =>
          conflicts.length === 0 ? (
            <Text testId="conflicts-none">{t('conflicts.none')}</Text>
          ) : (
            <Flex direction="column" gap="sm">
              {conflicts.map((c) => (
                <Flex key={String(c.id)} direction="column" gap="xs">
                  <Text testId={`conflict-${String(c.id)}`}>{t('conflicts.item', { type: c.objectType, name: c.name, id: c.hubspotId })}</Text>
                  <ButtonRow>
                    {c.candidates.map((candidate) => (
                      <Button
                        key={candidate.vendorId}
                        size="xs"
                        disabled={action.busy}
                        onClick={() => resolve(String(c.id), candidate.vendorId)}
                        testId={`resolve-${String(c.id)}-${candidate.vendorId}`}
                      >
                        {t('conflicts.pick', { name: candidate.email ? `${candidate.name} <${candidate.email}>` : candidate.name })}
                      </Button>
                    ))}
                    <Button size="xs" disabled={action.busy} onClick={() => resolve(String(c.id), null)} testId={`resolve-${String(c.id)}-create`}>
                      {t('conflicts.create')}
                    </Button>
                  </ButtonRow>
                </Flex>
              ))}
            </Flex>
          )
        }
      />
    </Section>
  );
}
