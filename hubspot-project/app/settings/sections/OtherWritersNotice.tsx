import { Alert, Flex, Text } from '@hubspot/ui-extensions';
import { formatDateTime } from '@apiup/ui-shared/format';
import type { SectionProps } from './common';

/**
 * Other apps writing the contacts and companies APIUP syncs (issue 17): which app, by HubSpot's app id, and how
 * often in the last 7 and 30 days. HubSpot's webhook events name an app by id only (sync/other-writers.ts), and
 * the property history entries of API writes we found carry `sourceType: INTEGRATION` and the id, with no
 * `sourceLabel`. We found no public API that resolves another app's id to its name (UNCONFIRMED that none
 * exists), so the notice shows the id and where in HubSpot the user can find the app.
 */
export function OtherWritersNotice({ t, lang, settings, timeZone }: SectionProps) {
  const writers = settings.otherWriters ?? [];
  if (writers.length === 0) return null;
  return (
    <Alert title={t('otherWriters.title')} variant="warning" testId="notice-other-writers">
      <Flex direction="column" gap="xs">
        <Text>{t('otherWriters.body')}</Text>
        {writers.map((w) => (
          <Text key={w.sourceId} testId={`other-writer-${w.sourceId}`}>
            {t('otherWriters.item', {
              app: w.sourceId,
              week: w.last7Days,
              month: w.last30Days,
              type: t(`otherWriters.type.${w.lastObjectType}`),
              id: w.lastObjectId,
              property: w.lastPropertyName,
              when: formatDateTime(w.lastSeenAt, lang, timeZone),
            })}
          </Text>
        ))}
        <Text>{t('otherWriters.find')}</Text>
      </Flex>
    </Alert>
  );
}
