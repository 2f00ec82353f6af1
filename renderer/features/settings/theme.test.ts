import { describe, expect, it } from 'vitest';
import type { ThemeSetting } from '../../../src/settings/settings';
import { currentTheme, followTheme, resolveTheme } from './theme';
import { vegaEmbedThemeOptions } from './vegaTheme';

describe('theme', () => {
  it('resolves system by the OS preference', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('keeps what the page shows until the settings are known, then follows them', () => {
    document.documentElement.dataset.theme = 'dark';
    let setting: ThemeSetting | undefined;
    const listeners = new Set<() => void>();
    const stop = followTheme(() => setting, (l) => { listeners.add(l); return () => listeners.delete(l); });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(currentTheme()).toBe('dark');
    setting = 'light';
    listeners.forEach((l) => l());
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(document.documentElement.style.colorScheme).toBe('light');
    setting = 'dark';
    listeners.forEach((l) => l());
    expect(currentTheme()).toBe('dark');
    stop();
    expect(listeners.size).toBe(0);
  });

  it('gives vega a dark config on a transparent ground only in the dark theme', () => {
    expect(vegaEmbedThemeOptions('light')).toEqual({});
    expect(vegaEmbedThemeOptions('dark')).toMatchObject({ theme: 'dark', config: { background: 'transparent' } });
  });
});
