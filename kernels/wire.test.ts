import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createMessage, type ExecuteRequestMsg } from '../src/jupyter/messages';
import { WireCodec } from './wire';

const PYTHON = '/usr/bin/python3';

function pythonFrames(script: string): string[] {
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${PYTHON} with jupyter_client failed (install jupyter-client / python3-jupyter-client): ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

const request = () => createMessage<ExecuteRequestMsg>({
  msgType: 'execute_request', channel: 'shell', session: 's1',
  content: { code: 'print(1)', silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true },
});

describe('WireCodec', () => {
  it('round-trips a message with buffers and routing ids', () => {
    const codec = new WireCodec({ key: 'k3y' });
    const msg = { ...request(), buffers: [new Uint8Array([1, 2, 3]).buffer] };
    const frames = codec.serialize(msg, [Buffer.from('client-id')]);
    expect(frames[0].toString()).toBe('client-id');
    expect(frames[1].toString()).toBe('<IDS|MSG>');
    const back = codec.deserialize(frames, 'shell');
    expect(back?.header).toEqual(msg.header);
    expect(back?.content).toEqual(msg.content);
    expect(back?.channel).toBe('shell');
    expect([...new Uint8Array(back!.buffers![0] as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(codec.droppedCount).toBe(0);
  });

  it('accepts a message signed by Python jupyter_client.Session and produces the same signature', () => {
    const frames = pythonFrames(`
import json
from jupyter_client.session import Session
s = Session(key=b'secret', signature_scheme='hmac-sha256')
frames = s.serialize(s.msg('execute_request', content={'code': 'print(1)'}))
print(json.dumps([f.decode() for f in frames]))`);
    const codec = new WireCodec({ key: 'secret' });
    const msg = codec.deserialize(frames.map((f) => Buffer.from(f)), 'shell');
    expect(msg?.header.msg_type).toBe('execute_request');
    expect(msg?.content).toEqual({ code: 'print(1)' });
    expect(codec.sign(frames.slice(2).map((f) => Buffer.from(f)))).toBe(frames[1]);
  });

  it('our signatures verify in Python', () => {
    const codec = new WireCodec({ key: 'secret' });
    const frames = codec.serialize(request()).map((f) => f.toString());
    const verdict = pythonFrames(`
import json, sys
from jupyter_client.session import Session
s = Session(key=b'secret', signature_scheme='hmac-sha256')
frames = [f.encode() for f in json.loads(sys.argv[1])]
msg = s.deserialize(frames[1:], content=True)
print(json.dumps([msg['header']['msg_type'], msg['content']['code']]))`.replace('sys.argv[1]', JSON.stringify(JSON.stringify(frames))));
    expect(verdict).toEqual(['execute_request', 'print(1)']);
  });

  it('drops and counts forged, unsigned and malformed messages', () => {
    const codec = new WireCodec({ key: 'right' });
    const forged = new WireCodec({ key: 'wrong' }).serialize(request());
    expect(codec.deserialize(forged, 'iopub')).toBeUndefined();
    const unsigned = new WireCodec({ key: '' }).serialize(request());
    expect(codec.deserialize(unsigned, 'iopub')).toBeUndefined();
    expect(codec.deserialize([Buffer.from('no delimiter')], 'iopub')).toBeUndefined();
    const good = codec.serialize(request());
    const tampered = [...good];
    tampered[5] = Buffer.from('{"code":"import os; os.system(\\"rm -rf ~\\")"}');
    expect(codec.deserialize(tampered, 'shell')).toBeUndefined();
    expect(codec.droppedBy('bad-signature')).toBe(3);
    expect(codec.droppedBy('no-delimiter')).toBe(1);
    expect(codec.droppedCount).toBe(4);
    expect(codec.deserialize(good, 'shell')).toBeDefined();
    expect(codec.droppedCount).toBe(4);
  });
});
