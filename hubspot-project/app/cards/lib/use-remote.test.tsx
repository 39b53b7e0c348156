import { describe, expect, it } from 'vitest';
import { Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { deferred } from '../test-utils/backend';
import { useRemote } from './use-remote';

function Probe({ loads }: { loads: Array<Promise<string>> }) {
  const { screen, reload } = useRemote(() => loads.shift() ?? Promise.reject(new Error('no more loads')), []);
  return (
    <>
      <Text testId="state">{screen.state === 'ready' ? screen.data : screen.state}</Text>
      <Button onClick={reload}>reload</Button>
    </>
  );
}

describe('useRemote', () => {
  it('never lets an older, slower answer replace a newer one', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const loads = [first.promise, second.promise];
    const { find, findByTestId, render, waitFor } = createRenderer('crm.record.sidebar');
    render(<Probe loads={loads} />);
    find(Button).trigger('onClick');
    second.resolve('newer');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('newer'));
    first.resolve('older');
    await first.promise;
    await new Promise((r) => setImmediate(r));
    expect(findByTestId(Text, 'state').text).toBe('newer');
  });
});
