/**
 * Screen state for one backend read: `loading | ready | error`. Every load gets a number; only the
 * newest may set the state, so a slow, older answer never replaces a newer one.
 * cards/lib/use-remote.ts and settings/lib/use-remote.ts are byte-identical copies (each extension folder is
 * built on its own); hubspot-project/lib-copies.test.ts fails when they drift.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './http';

export type Screen<T> = { state: 'loading' } | { state: 'ready'; data: T } | { state: 'error'; error: ApiError };

export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[]): { screen: Screen<T>; reload: () => void } {
  const [screen, setScreen] = useState<Screen<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const id = ++latest.current;
    setScreen({ state: 'loading' });
    load().then(
      (data) => {
        if (id === latest.current) setScreen({ state: 'ready', data });
      },
      (error: unknown) => {
        if (id === latest.current) setScreen({ state: 'error', error: asApiError(error) });
      },
    );
    return () => {
      // An answer that arrives after unmount or after the inputs changed is dropped.
      if (id === latest.current) latest.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { screen, reload };
}

/** Runs one user action at a time (a button), exposing whether it is under way. */
export function useAction(): { busy: boolean; run: <T>(action: () => Promise<T>) => Promise<T | ApiError> } {
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | ApiError> => {
    setBusy(true);
    try {
      return await action();
    } catch (error) {
      return asApiError(error);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, run };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'unexpected', error instanceof Error ? error.message : String(error));
}
