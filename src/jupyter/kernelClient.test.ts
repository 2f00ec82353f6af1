import { Subject, firstValueFrom, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { KernelClient, KernelConnectionClosedError, type KernelTransport } from './kernelClient';
import type { BaseMessage, Channel, MessageHeader } from './messages';

function header(id: string, type: string): MessageHeader {
  return { msg_id: id, msg_type: type, session: 'kernel', username: 'k', date: '', version: '5.3' };
}

/** A reply/iopub message as the kernel would send it, parented to request `parent`. */
function kmsg(type: string, channel: Channel, parent: string, content: unknown = {}, id = `${type}-${parent}`): BaseMessage {
  return { channel, header: header(id, type), parent_header: header(parent, 'request'), metadata: {}, content };
}

function ids(prefix = 'm'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/** A transport whose incoming messages come from an Observable (marble tests) and records sends. */
function scripted(messages$: Observable<BaseMessage>): KernelTransport & { sent: BaseMessage[] } {
  const sent: BaseMessage[] = [];
  return { sent, messages$, send: async (msg) => void sent.push(msg) };
}

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('KernelClient.execute', () => {
  const busy = kmsg('status', 'iopub', 'm1', { execution_state: 'busy' }, 'busy');
  const input = kmsg('execute_input', 'iopub', 'm1', { code: '1', execution_count: 1 });
  const stream = kmsg('stream', 'iopub', 'm1', { name: 'stdout', text: 'hi' });
  const reply = kmsg('execute_reply', 'shell', 'm1', { status: 'ok', execution_count: 1 });
  const idle = kmsg('status', 'iopub', 'm1', { execution_state: 'idle' }, 'idle');
  const other = kmsg('stream', 'iopub', 'someone-else', { name: 'stdout', text: 'x' });

  it('emits only its children and completes on reply then idle', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-b-o-i-s-r-l-s', { b: busy, o: other, i: input, s: stream, r: reply, l: idle });
      const client = new KernelClient(scripted(source), { newId: ids() });
      expectObservable(client.execute('1')).toBe('-b---i-s-r-(l|)', { b: busy, i: input, s: stream, r: reply, l: idle });
    });
  });

  it('completes on idle then reply (order may vary)', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-b-s-l-o-r-s', { b: busy, s: stream, l: idle, o: other, r: reply });
      const client = new KernelClient(scripted(source), { newId: ids() });
      expectObservable(client.execute('1')).toBe('-b-s-l---(r|)', { b: busy, s: stream, l: idle, r: reply });
    });
  });

  it('does not complete on reply alone and emits input_request from stdin', () => {
    const ask = kmsg('input_request', 'stdin', 'm1', { prompt: '? ', password: false });
    scheduler().run(({ hot, expectObservable }) => {
      const source = hot('-b-a-r--', { b: busy, a: ask, r: reply });
      const client = new KernelClient(scripted(source), { newId: ids() });
      expectObservable(client.execute('input()')).toBe('-b-a-r--', { b: busy, a: ask, r: reply });
    });
  });

  it('completes replyGraceMs after idle when the reply never comes; a late reply inside the grace still counts', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const lost = hot('-b-l-----------', { b: busy, l: idle });
      const client = new KernelClient(scripted(lost), { newId: ids(), replyGraceMs: 5 });
      expectObservable(client.execute('1')).toBe('-b-l----|', { b: busy, l: idle });
    });
    scheduler().run(({ hot, expectObservable }) => {
      const late = hot('-b-l--r--------', { b: busy, l: idle, r: reply });
      const client = new KernelClient(scripted(late), { newId: ids(), replyGraceMs: 5 });
      expectObservable(client.execute('1')).toBe('-b-l--(r|)', { b: busy, l: idle, r: reply });
    });
  });

  it('sends one execute_request per subscription with the defaults and options merged', async () => {
    const source = new Subject<BaseMessage>();
    const transport = scripted(source);
    const client = new KernelClient(transport, { newId: ids(), session: 'sess' });
    const run = client.execute('x = 1', { silent: true });
    expect(transport.sent).toHaveLength(0); // cold: nothing sent before subscribe
    const done = firstValueFrom(run.pipe(toArray()));
    expect(transport.sent).toHaveLength(1);
    const req = transport.sent[0];
    expect(req.channel).toBe('shell');
    expect(req.header).toMatchObject({ msg_id: 'm1', msg_type: 'execute_request', session: 'sess', version: '5.3' });
    expect(req.content).toEqual({ code: 'x = 1', silent: true, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true });
    source.next(reply);
    source.next(idle);
    expect(await done).toEqual([reply, idle]);
  });

  it('errors when the transport completes before reply + idle', async () => {
    const source = new Subject<BaseMessage>();
    const client = new KernelClient(scripted(source), { newId: ids() });
    const done = firstValueFrom(client.execute('1').pipe(toArray()));
    source.next(busy);
    source.complete();
    await expect(done).rejects.toBeInstanceOf(KernelConnectionClosedError);
  });

  it('errors when send fails', async () => {
    const client = new KernelClient({ messages$: new Subject<BaseMessage>(), send: async () => { throw new Error('socket gone'); } });
    await expect(firstValueFrom(client.execute('1'))).rejects.toThrow('socket gone');
  });
});

describe('KernelClient.request', () => {
  it('resolves with the reply to its own request, ignoring iopub and other parents', async () => {
    const source = new Subject<BaseMessage>();
    const transport = scripted(source);
    const client = new KernelClient(transport, { newId: ids() });
    const pending = client.request('complete_request', { code: 'pri', cursor_pos: 3 });
    expect(transport.sent[0]).toMatchObject({ channel: 'shell', header: { msg_type: 'complete_request' }, content: { code: 'pri', cursor_pos: 3 } });
    source.next(kmsg('complete_reply', 'shell', 'other', { matches: ['wrong'] }));
    source.next(kmsg('status', 'iopub', 'm1', { execution_state: 'busy' }));
    const reply = kmsg('complete_reply', 'shell', 'm1', { status: 'ok', matches: ['print'] });
    source.next(reply);
    expect(await pending).toBe(reply);
  });

  it('kernelInfo sends kernel_info_request; control requests go on control', async () => {
    const source = new Subject<BaseMessage>();
    const transport = scripted(source);
    const client = new KernelClient(transport, { newId: ids() });
    const info = client.kernelInfo();
    const interrupt = client.request('interrupt_request', {}, 'control');
    expect(transport.sent.map((m) => [m.channel, m.header.msg_type])).toEqual([['shell', 'kernel_info_request'], ['control', 'interrupt_request']]);
    source.next(kmsg('interrupt_reply', 'control', 'm2', { status: 'ok' }));
    source.next(kmsg('kernel_info_reply', 'shell', 'm1', { status: 'ok', implementation: 'ipython' }));
    expect((await info).content.implementation).toBe('ipython');
    expect((await interrupt).header.msg_type).toBe('interrupt_reply');
  });

  it('times out when asked to', async () => {
    const client = new KernelClient(scripted(new Subject<BaseMessage>()), { newId: ids() });
    await expect(client.request('kernel_info_request', {}, 'shell', { timeoutMs: 5 })).rejects.toThrow(/Timeout/);
  });

  it('inputReply answers on stdin with the parent header', async () => {
    const transport = scripted(new Subject<BaseMessage>());
    const client = new KernelClient(transport, { newId: ids(), session: 's' });
    const parent = header('req-1', 'input_request');
    await client.inputReply('42', parent);
    expect(transport.sent[0]).toMatchObject({ channel: 'stdin', header: { msg_type: 'input_reply', session: 's' }, parent_header: parent, content: { value: '42' } });
  });

  it('status$ follows every iopub status', async () => {
    const source = new Subject<BaseMessage>();
    const client = new KernelClient(scripted(source), { newId: ids() });
    const states = firstValueFrom(client.status$.pipe(toArray()));
    source.next(kmsg('status', 'iopub', 'a', { execution_state: 'busy' }));
    source.next(kmsg('stream', 'iopub', 'a', { name: 'stdout', text: '' }));
    source.next(kmsg('status', 'iopub', 'b', { execution_state: 'idle' }));
    source.complete();
    expect(await states).toEqual(['busy', 'idle']);
  });
});
