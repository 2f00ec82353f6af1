import { describe, expect, it } from 'vitest';
import { type BaseMessage, createMessage } from './messages';
import { applyOutputMessage, coalesceStreamMessages, emptyOutputsState, type OutputsState, resolveControlChars, stripTransient, updateDisplayInOutputs } from './outputs';

function iopub(msgType: string, content: object): BaseMessage {
  return createMessage({ msgType: msgType as 'stream', channel: 'iopub', content: content as never, session: 's' });
}
const fold = (messages: BaseMessage[], options = {}): OutputsState =>
  messages.reduce((state, msg) => applyOutputMessage(state, msg, options), emptyOutputsState());

describe('coalesceStreamMessages', () => {
  const request = (id: string) => createMessage({ msgType: 'execute_request', channel: 'shell', content: { code: '' } as never, session: 's', msgId: id }).header;
  const from = (parent: string, msgType: string, content: object): BaseMessage =>
    createMessage({ msgType: msgType as 'stream', channel: 'iopub', content: content as never, session: 's', parentHeader: request(parent) });

  it("joins adjacent prints of one request and stream, in order, and folds to the same outputs", () => {
    const batch = [
      from('a', 'status', { execution_state: 'busy' }),
      from('a', 'stream', { name: 'stdout', text: '1\n' }),
      from('a', 'stream', { name: 'stdout', text: '2\n' }),
      from('a', 'stream', { name: 'stdout', text: '3\r' }),
      from('a', 'stream', { name: 'stderr', text: 'e\n' }),
      from('b', 'stream', { name: 'stderr', text: 'other request\n' }),
      from('a', 'stream', { name: 'stderr', text: 'f\n' }),
      from('a', 'stream', { name: 'stderr', text: 'g\n' }),
      from('a', 'execute_result', { data: { 'text/plain': '1' }, metadata: {}, execution_count: 1 }),
      from('a', 'stream', { name: 'stdout', text: 'after\n' }),
    ];
    const joined = coalesceStreamMessages(batch);
    expect(joined.map((m) => [m.parent_header.msg_id, m.header.msg_type, (m.content as { text?: string }).text])).toEqual([
      ['a', 'status', undefined], ['a', 'stream', '1\n2\n3\r'], ['a', 'stream', 'e\n'], ['b', 'stream', 'other request\n'],
      ['a', 'stream', 'f\ng\n'], ['a', 'execute_result', undefined], ['a', 'stream', 'after\n'],
    ]);
    // The first message of a run keeps its identity; the inputs are not changed.
    expect(joined[1].header).toBe(batch[1].header);
    expect((batch[1].content as { text: string }).text).toBe('1\n');
    const ofA = (ms: BaseMessage[]) => ms.filter((m) => m.parent_header.msg_id === 'a');
    expect(fold(ofA(joined)).outputs).toEqual(fold(ofA(batch)).outputs);
  });
});

describe('applyOutputMessage', () => {
  it('coalesces consecutive stream chunks of the same name only', () => {
    const state = fold([
      iopub('stream', { name: 'stdout', text: 'a\n' }),
      iopub('stream', { name: 'stdout', text: 'b\n' }),
      iopub('stream', { name: 'stderr', text: 'oops\n' }),
      iopub('stream', { name: 'stdout', text: 'c\n' }),
    ]);
    expect(state.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
      { output_type: 'stream', name: 'stdout', text: 'c\n' },
    ]);
  });

  it('turns display_data, execute_result and error into nbformat outputs', () => {
    const state = fold([
      iopub('display_data', { data: { 'text/plain': 'fig' }, metadata: {}, transient: {} }),
      iopub('execute_result', { data: { 'text/plain': '2' }, metadata: {}, execution_count: 3 }),
      iopub('error', { ename: 'ValueError', evalue: 'bad', traceback: ['tb'] }),
      iopub('status', { execution_state: 'idle' }),
    ]);
    expect(state.outputs).toEqual([
      { output_type: 'display_data', data: { 'text/plain': 'fig' }, metadata: {} },
      { output_type: 'execute_result', data: { 'text/plain': '2' }, metadata: {}, execution_count: 3 },
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['tb'] },
    ]);
  });

  it('clear_output(wait=True) clears only when the next output arrives', () => {
    const first = fold([iopub('stream', { name: 'stdout', text: '1\n' }), iopub('clear_output', { wait: true })]);
    expect(first.outputs).toHaveLength(1);
    expect(first.clearPending).toBe(true);
    const next = applyOutputMessage(first, iopub('stream', { name: 'stdout', text: '2\n' }));
    expect(next.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: '2\n' }]);
    expect(next.clearPending).toBe(false);
  });

  it('clear_output without wait clears at once', () => {
    const state = fold([iopub('stream', { name: 'stdout', text: '1\n' }), iopub('clear_output', { wait: false })]);
    expect(state.outputs).toEqual([]);
  });

  it('update_display_data replaces the output with that display id and keeps others', () => {
    const state = fold([
      iopub('display_data', { data: { 'text/plain': 'old' }, metadata: {}, transient: { display_id: 'd1' } }),
      iopub('display_data', { data: { 'text/plain': 'other' }, metadata: {}, transient: { display_id: 'd2' } }),
      iopub('update_display_data', { data: { 'text/plain': 'new' }, metadata: { m: 1 }, transient: { display_id: 'd1' } }),
    ]);
    expect(state.outputs.map((o) => (o.output_type === 'display_data' ? o.data['text/plain'] : null))).toEqual(['new', 'other']);
    expect(stripTransient(state.outputs[0])).toEqual({ output_type: 'display_data', data: { 'text/plain': 'new' }, metadata: { m: 1 } });
  });

  it('leaves the state untouched for an update of an unknown display id', () => {
    const state = fold([iopub('stream', { name: 'stdout', text: 'x' })]);
    expect(applyOutputMessage(state, iopub('update_display_data', { data: {}, metadata: {}, transient: { display_id: 'nope' } }))).toBe(state);
    expect(updateDisplayInOutputs(state.outputs, 'nope', { data: {}, metadata: {} })).toBeUndefined();
  });

  it('resolves carriage returns across chunks like a terminal, unless asked to keep raw text', () => {
    const chunks = ['progress 10%\r', 'progress 50%\r', 'progress 100%\n', 'done\n'].map((text) => iopub('stream', { name: 'stdout', text }));
    expect(fold(chunks).outputs[0]).toMatchObject({ text: 'progress 100%\ndone\n' });
    expect(fold(chunks, { processControlChars: false }).outputs[0]).toMatchObject({ text: 'progress 10%\rprogress 50%\rprogress 100%\ndone\n' });
  });
});

describe('resolveControlChars', () => {
  it.each([
    ['abc\rxy', 'xyc'],
    ['abc\r\ndef', 'abc\ndef'],
    ['abc\b\bd', 'ad'],
    ['line1\n\bx', 'line1\nx'],
    ['plain text\n', 'plain text\n'],
    ['50%\r', '50%\r'],
  ])('%j becomes %j', (input, expected) => {
    expect(resolveControlChars(input)).toBe(expected);
  });
});

describe('stream chunks with control characters', () => {
  it('appending a chunk resolves only the last line, with the same result as resolving all of the merged text', () => {
    const whole = 'start\n10%\r20%\r30%\nab\bc\r\nxy\b\b\bz\rq\n\r\rend\r';
    for (let cut1 = 0; cut1 <= whole.length; cut1 += 3) {
      for (let cut2 = cut1; cut2 <= whole.length; cut2 += 5) {
        const parts = [whole.slice(0, cut1), whole.slice(cut1, cut2), whole.slice(cut2)].filter((p) => p !== '');
        if (parts.length === 1) continue;
        const state = fold(parts.map((text) => iopub('stream', { name: 'stdout', text })));
        const merged = parts.reduce((acc, part) => resolveControlChars(acc + part), '');
        expect(state.outputs[0]).toMatchObject({ text: merged });
      }
    }
  });

  it('whole progress-bar writes resolve as a terminal shows them', () => {
    const state = fold(['start\n', '10%', '\r20%', '\r30%', '\n', 'ab\bc\n'].map((text) => iopub('stream', { name: 'stdout', text })));
    expect(state.outputs[0]).toMatchObject({ text: 'start\n30%\nac\n' });
  });
});
