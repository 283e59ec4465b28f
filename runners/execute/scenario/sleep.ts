/** Abortable sleep for phase timing: rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal, wake?: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    const t = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
    wake?.then(done, done);
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('run aborted');
}
