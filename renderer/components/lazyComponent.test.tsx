import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyComponent, useLazyComponent, type LazyComponent } from './lazyComponent';

afterEach(cleanup);

function Host({ lazy, wanted }: { lazy: LazyComponent<{ name: string }>; wanted: boolean }): React.JSX.Element {
  const { Component, error } = useLazyComponent(lazy, wanted);
  if (error) return <p>failed: {error}</p>;
  return Component ? <Component name="quire" /> : <p>loading</p>;
}

describe('lazyComponent', () => {
  it('loads once, on first want or ahead of it, and renders as soon as loaded', async () => {
    let loads = 0;
    const lazy = lazyComponent(async () => {
      loads++;
      return { default: ({ name }: { name: string }) => <p>hello {name}</p> };
    });
    const { rerender } = render(<Host lazy={lazy} wanted={false} />);
    expect(screen.getByText('loading')).toBeTruthy();
    expect(loads).toBe(0);
    await act(async () => { await lazy.load(); });
    rerender(<Host lazy={lazy} wanted />);
    // Already loaded: the first render with it wanted shows it.
    expect(screen.getByText('hello quire')).toBeTruthy();
    await lazy.load();
    expect(loads).toBe(1);
  });

  it('says why loading failed and tries again on the next want', async () => {
    let fail = true;
    const lazy = lazyComponent<{ name: string }>(async () => {
      if (fail) throw new Error('chunk missing');
      return { default: () => <p>loaded</p> };
    });
    const { rerender } = render(<Host lazy={lazy} wanted />);
    expect(await screen.findByText('failed: chunk missing')).toBeTruthy();
    fail = false;
    rerender(<Host lazy={lazy} wanted={false} />);
    rerender(<Host lazy={lazy} wanted />);
    expect(await screen.findByText('loaded')).toBeTruthy();
  });
});
