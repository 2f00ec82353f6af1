import { describe, expect, it } from 'vitest';
import { registeredCommands } from '../cli';

describe('quire command registry', () => {
  it('lists each command with the name, summary and usage of the module it loads', async () => {
    const entries = registeredCommands();
    expect(entries.map((e) => e.name)).toEqual(['format', 'install-desktop', 'kernels', 'params', 'run', 'runs', 'serve', 'validate']);
    for (const entry of entries) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary, usage: command.usage }).toEqual({ name: entry.name, summary: entry.summary, usage: entry.usage });
    }
  });
});
