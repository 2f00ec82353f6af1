/**
 * One queue per key (a file's absolute path): tasks for the same key run one after another, in
 * the order they were queued, so a save's check sees the result of the save before it. Different
 * keys run independently. A failed task does not stop the queue.
 */
const tails = new Map<string, Promise<void>>();

export function queueByPath<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(() => undefined, () => undefined);
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
