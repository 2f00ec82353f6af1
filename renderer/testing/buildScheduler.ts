import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

/** A TestScheduler that compares with Vitest's deep equality (the shared helper for marble tests). */
export function buildScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
