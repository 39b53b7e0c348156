import { Button, ErrorState, Text } from '@hubspot/ui-extensions';
import type { ApiError } from '@apiup/ui-shared/http';
import type { Translate } from '../lib/i18n';

export function LoadFailed({ t, error, onReload }: { t: Translate; error: ApiError; onReload: () => void }) {
  return (
    <ErrorState title={t('common.error.title')} testId="load-failed">
      <Text>{error.message}</Text>
      <Button onClick={onReload} size="sm">
        {t('common.reload')}
      </Button>
    </ErrorState>
  );
}
