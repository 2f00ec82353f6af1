import { describe, expect, it } from 'vitest';
import { Emitter } from '../base/event';
import { ErrorCode, QuireError } from '../errors';
import { ChannelClient, ChannelServer, serializeError } from './channel';
import { createProtocolPair } from './protocol';
import { ProxyChannel, type TypedChannelDescriptor } from './proxy';

interface ICalculator {
  add(a: number, b: number): Promise<number>;
  fail(code: string): Promise<void>;
  readonly onDidTick: import('../base/event').Event<number>;
}

const descriptor = { methods: { add: 2, fail: 1 }, events: ['onDidTick'] } as const satisfies TypedChannelDescriptor<ICalculator>;

function setup() {
  const [serverEnd, clientEnd] = createProtocolPair();
  const ticks = new Emitter<number>();
  let listenersOpened = 0;
  const tickSource = new Emitter<number>({ onWillAddFirstListener: () => listenersOpened++ });
  const impl = {
    async add(a: number, b: number) {
      return a + b;
    },
    async fail(code: string) {
      throw new QuireError(code as ErrorCode, 'nope', { where: 'here' });
    },
    onDidTick: tickSource.event,
    secret: async () => 'leaked',
  };
  const server = new ChannelServer(serverEnd);
  ProxyChannel.fromService<ICalculator>(server, 'calc', descriptor, impl);
  const client = new ChannelClient(clientEnd);
  const calc = ProxyChannel.toService<ICalculator>(client, 'calc', descriptor);
  return { serverEnd, clientEnd, server, client, calc, tickSource, ticks, listenersOpened: () => listenersOpened };
}

describe('RPC over an in-memory protocol', () => {
  it('calls methods and returns results', async () => {
    const { calc, server, client } = setup();
    await expect(calc.add(2, 3)).resolves.toBe(5);
    client.dispose();
    server.dispose();
  });

  it('marshals errors with their code and details', async () => {
    const { calc } = setup();
    const error = await calc.fail(ErrorCode.NotFound).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuireError);
    expect((error as QuireError).code).toBe(ErrorCode.NotFound);
    expect((error as QuireError).details).toEqual({ where: 'here' });
  });

  it('sends error frames with name, message, code and details only: no stack', async () => {
    const { calc, clientEnd } = setup();
    const frames: string[] = [];
    clientEnd.onMessage((data) => frames.push(data));
    await calc.fail(ErrorCode.NotFound).catch(() => undefined);
    const frame = JSON.parse(frames.find((f) => f.includes('"err"'))!) as { t: string; e: Record<string, unknown> };
    expect(frame.e).toEqual({ name: 'QuireError', message: 'nope', code: ErrorCode.NotFound, details: { where: 'here' } });
    // A plain Error thrown by a service (a bug, a Node error) goes the same way.
    expect(Object.keys(serializeError(new TypeError('x is not a function')))).toEqual(['name', 'message']);
    expect(frames.join('')).not.toMatch(/channel\.test\.ts|\bat /);
  });

  it('refuses methods that the descriptor does not name, and extra arguments', async () => {
    const { client } = setup();
    await expect(client.call('calc', 'secret', [])).rejects.toMatchObject({ code: ErrorCode.RpcUnknownMethod });
    await expect(client.call('calc', '__proto__', [])).rejects.toMatchObject({ code: ErrorCode.RpcUnknownMethod });
    await expect(client.call('nope', 'add', [1, 2])).rejects.toMatchObject({ code: ErrorCode.RpcUnknownMethod });
    await expect(client.call('calc', 'add', [1, 2, 3])).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
  });

  it('opens an event subscription on the first listener and closes it after the last', async () => {
    const { calc, tickSource, listenersOpened } = setup();
    const seen: number[] = [];
    const sub = calc.onDidTick((n) => seen.push(n));
    await new Promise((r) => setTimeout(r, 5));
    expect(listenersOpened()).toBe(1);
    tickSource.fire(1);
    tickSource.fire(2);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([1, 2]);
    sub.dispose();
    await new Promise((r) => setTimeout(r, 5));
    expect(tickSource.hasListeners).toBe(false);
    tickSource.fire(3);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([1, 2]);
  });

  it('rejects pending calls when the connection closes', async () => {
    const { clientEnd, client } = setup();
    const pending = client.call('calc', 'add', [1, 1]);
    clientEnd.close();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.RpcClosed });
  });
});
