import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunIndex, RunIndexError } from './runIndex';
import { eventLine, headerLine, type RunEndedEvent, type RunStartedEvent } from './runIndexJournal';

let dir: string;
let path: string;
let warnings: string[];
const open = (isAlive?: (pid: number) => boolean) => new RunIndex({ path, warn: (m) => warnings.push(m), isAlive });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-run-index-'));
  path = join(dir, 'run-index', 'runs.jsonl');
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const started = (runId: string, startedAt: string, extra: Partial<RunStartedEvent> = {}): RunStartedEvent => ({
  v: 1, t: 'started', runId, notebook: '/work/a.ipynb', output: `/work/runs/${runId}.ipynb`, parameters: { alpha: 0.5 }, startedAt, pid: process.pid, host: 'cli', hostname: hostname(), ...extra,
});
const ended = (runId: string, status: RunEndedEvent['status'], extra: Partial<RunEndedEvent> = {}): RunEndedEvent => ({
  v: 1, t: 'ended', runId, status, endedAt: '2026-01-01T00:00:09.000Z', durationMs: 9000, ...extra,
});

describe('RunIndex journal', () => {
  it('lists nothing, without creating anything, when there is no journal yet', () => {
    expect(open().list()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('starts a journal with its header and folds events by run, newest first, with filters', () => {
    const index = open();
    index.append(started('r1', '2026-01-01T00:00:01.000Z'));
    index.append(started('r2', '2026-01-01T00:00:02.000Z', { notebook: '/work/b.ipynb' }));
    index.append(ended('r1', 'completed'));
    index.append(started('r3', '2026-01-01T00:00:03.000Z'));
    index.append(ended('r2', 'failed', { failedCell: 2, error: 'ValueError: bad' }));
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"quireRunIndex":1}');
    const all = open().list();
    expect(all.map((e) => [e.runId, e.status])).toEqual([['r3', 'running'], ['r2', 'failed'], ['r1', 'completed']]);
    expect(all[1]).toMatchObject({ notebook: '/work/b.ipynb', failedCell: 2, error: 'ValueError: bad', durationMs: 9000, host: 'cli', parameters: { alpha: 0.5 } });
    expect(open().list({ notebook: '/work/x/../a.ipynb' }).map((e) => e.runId)).toEqual(['r3', 'r1']);
    expect(open().list({ status: 'failed' }).map((e) => e.runId)).toEqual(['r2']);
    expect(open().list({ limit: 1 }).map((e) => e.runId)).toEqual(['r3']);
    expect(open().get('r1')?.status).toBe('completed');
    expect(warnings).toEqual([]);
  });

  it('ignores a torn last line without a word, and a later append after it is read whole', () => {
    const index = open();
    index.append(started('r1', '2026-01-01T00:00:01.000Z'));
    appendFileSync(path, eventLine(ended('r1', 'completed')).slice(0, 25)); // a writer died mid-write
    expect(open().list().map((e) => e.status)).toEqual(['running']);
    index.append(ended('r1', 'failed'));
    expect(open().list().map((e) => e.status)).toEqual(['failed']);
    expect(warnings).toEqual([]);
  });

  it('ignores event types and fields it does not know; skips an unreadable line in the middle and says so once', () => {
    const index = open();
    index.append(started('r1', '2026-01-01T00:00:01.000Z'));
    appendFileSync(path, '{"v":1,"t":"progress","runId":"r1","cell":3,"of":9}\n');
    appendFileSync(path, `${JSON.stringify({ ...ended('r1', 'completed'), peakMemory: 123 })}\n`);
    expect(open().list().map((e) => e.status)).toEqual(['completed']);
    expect(warnings).toEqual([]);
    appendFileSync(path, 'garbage in the middle\n');
    index.append(started('r2', '2026-01-01T00:00:02.000Z'));
    const reader = open();
    expect(reader.list().map((e) => e.runId)).toEqual(['r2', 'r1']);
    reader.list();
    expect(warnings).toEqual([expect.stringMatching(/has 1 unreadable line\(s\); they were skipped/)]);
  });

  it('shows a run whose process on this machine is gone as interrupted; one of another machine stays running', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const index = open();
    index.append(started('here', '2026-01-01T00:00:01.000Z', { pid: deadPid }));
    index.append(started('there', '2026-01-01T00:00:02.000Z', { pid: deadPid, hostname: `${hostname()}-elsewhere` }));
    index.append(started('alive', '2026-01-01T00:00:03.000Z', { pid: process.pid }));
    expect(Object.fromEntries(open().list().map((e) => [e.runId, e.status]))).toEqual({ here: 'interrupted', there: 'running', alive: 'running' });
  });

  it('refuses a journal of a newer schema: reported, never written or deleted', () => {
    const index = open();
    index.append(started('r1', '2026-01-01T00:00:01.000Z'));
    const newer = `{"quireRunIndex":2}\n${readFileSync(path, 'utf8').split('\n').slice(1).join('\n')}`;
    writeFileSync(path, newer);
    const fresh = open();
    expect(() => fresh.list()).toThrow(RunIndexError);
    expect(() => fresh.list()).toThrow(/written by a newer version of Quire \(schema 2; this Quire reads 1\)/);
    expect(() => fresh.append(started('r2', '2026-01-01T00:00:02.000Z'))).toThrow(/newer version/);
    expect(fresh.tryAppend(started('r3', '2026-01-01T00:00:03.000Z'))).toBe(false);
    expect(fresh.tryAppend(ended('r3', 'completed'))).toBe(false);
    expect(warnings).toHaveLength(1); // told once
    expect(readFileSync(path, 'utf8')).toBe(newer);
    expect(readdirSync(join(dir, 'run-index'))).toEqual(['runs.jsonl']);
  });

  it('keeps a file that is not a journal aside (renamed, not deleted), says so, and starts a new journal', () => {
    const folder = join(dir, 'run-index');
    mkdirSync(folder);
    writeFileSync(path, 'this is not a run index\n{"v":1}\n');
    expect(open().list()).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/was not a Quire run index; it was kept as .*runs\.jsonl\.corrupt-/);
    const aside = readdirSync(folder).filter((f) => f.startsWith('runs.jsonl.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(folder, aside[0]), 'utf8')).toBe('this is not a run index\n{"v":1}\n');
    open().append(started('r1', '2026-01-01T00:00:01.000Z'));
    expect(readFileSync(path, 'utf8').startsWith(headerLine())).toBe(true);
    expect(open().list().map((e) => e.runId)).toEqual(['r1']);
  });

  it('cannot be written under a folder that cannot exist: tryAppend warns once and returns false', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const index = new RunIndex({ path: join(dir, 'a-file', 'run-index', 'runs.jsonl'), warn: (m) => warnings.push(m) });
    expect(index.tryAppend(started('r1', '2026-01-01T00:00:01.000Z'))).toBe(false);
    expect(index.tryAppend(ended('r1', 'completed'))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Cannot write the run index .*a-file.*ENOTDIR/);
    expect(index.list()).toEqual([]);
  });

  it('lists 10,000 runs (20,000 lines) correctly', () => {
    const lines = [headerLine()];
    for (let i = 0; i < 10_000; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      lines.push(eventLine(started(`run-${i}`, at, { parameters: { i } })));
      lines.push(eventLine(ended(`run-${i}`, i % 10 === 0 ? 'failed' : 'completed', { durationMs: i })));
    }
    mkdirSync(join(dir, 'run-index'));
    writeFileSync(path, lines.join(''));
    const all = open().list();
    expect(all).toHaveLength(10_000);
    expect(all[0]).toMatchObject({ runId: 'run-9999', status: 'completed', durationMs: 9999, parameters: { i: 9999 } });
    expect(all[9999].runId).toBe('run-0');
    expect(open().list({ status: 'failed' })).toHaveLength(1000);
  });
});

describe('RunIndex with two writer processes', () => {
  it('keeps every entry and every line whole when two processes append 500 events each (250 runs) at once, while it is read', async () => {
    const appender = fileURLToPath(new URL('../testing/runIndexAppender.ts', import.meta.url));
    const writers = ['a', 'b'].map((prefix) => {
      const child = spawn(process.execPath, ['--import', 'tsx', appender, path, prefix, '250'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const output = (word: string) => new Promise<void>((resolve, reject) => {
        const check = () => (stdout.includes(word) ? resolve() : undefined);
        child.stdout.on('data', (d) => ((stdout += String(d)), check()));
        child.on('close', (code) => (stdout.includes(word) ? resolve() : reject(new Error(`writer ${prefix} exited ${code}: ${stderr}`))));
        check();
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      return { child, ready: output('ready'), done: output('done'), exited };
    });
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin.write('go\n');
    // Read while they write: never an error, never a warning, never a half entry.
    const reader = open();
    let reads = 0;
    let finished = false;
    const all = Promise.all(writers.map((w) => w.done)).finally(() => (finished = true));
    let halfEntries = 0;
    while (!finished) {
      halfEntries += reader.list().filter((e) => !/^\/nb\/[ab]\.ipynb$/.test(e.notebook) || e.parameters.i === undefined).length;
      reads++;
      await new Promise((r) => setTimeout(r, 50)); // pacing only: the readers' checks do not depend on timing
    }
    expect(halfEntries).toBe(0);
    await all;
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual([0, 0]);
    expect(reads).toBeGreaterThan(0);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1 + 2 * 2 * 250);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const entries = open().list();
    expect(entries).toHaveLength(500);
    expect(entries.every((e) => e.status === 'completed')).toBe(true);
    const byId = new Map(entries.map((e) => [e.runId, e]));
    for (const prefix of ['a', 'b']) for (let i = 0; i < 250; i++) expect(byId.get(`${prefix}-${i}`)?.parameters).toEqual({ i, text: 'x'.repeat(i % 300) });
    expect(warnings).toEqual([]);
  }, 120_000);
});

describe('RunIndex reading on', () => {
  it('folds only what was appended since its last read, and starts over when the file is replaced', () => {
    const reader = open();
    const writer = open();
    writer.append(started('r1', '2026-01-01T00:00:01.000Z'));
    expect(reader.list().map((e) => e.status)).toEqual(['running']);
    appendFileSync(path, eventLine(ended('r1', 'completed')).slice(0, 30)); // a line in progress
    expect(reader.list().map((e) => e.status)).toEqual(['running']);
    appendFileSync(path, eventLine(ended('r1', 'completed')).slice(30));
    writer.append(started('r2', '2026-01-01T00:00:02.000Z'));
    expect(reader.list().map((e) => [e.runId, e.status])).toEqual([['r2', 'running'], ['r1', 'completed']]);
    // Another journal in its place (moved aside by a user, say): read from its start.
    writeFileSync(`${path}.new`, headerLine() + eventLine(started('r9', '2026-01-01T00:00:09.000Z')));
    renameSync(`${path}.new`, path);
    expect(reader.list().map((e) => e.runId)).toEqual(['r9']);
    expect(warnings).toEqual([]);
  });
});
