/**
 * At most `n` reports are computed at once. The chat surfaces ack before they compute; without a
 * bound, fifty commands arriving together would all start their (partly main-thread) work at once
 * and delay the acks of the requests still arriving. Waiting work keeps its arrival order.
 */
export function limitConcurrency(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
