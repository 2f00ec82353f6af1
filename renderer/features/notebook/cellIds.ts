import { randomId } from '../../../src/jupyter/messages';

/** A new nbformat 4.5 cell id: 1–64 characters of [a-zA-Z0-9-_]. */
export function newCellId(): string {
  return randomId().replace(/-/g, '').slice(0, 16);
}
