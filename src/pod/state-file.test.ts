import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStateFile, StateFileWriter, type StateFile } from './state-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(): { path: string; dir: string; states: StateFile[]; writer: StateFileWriter; errors: unknown[]; writes: (n: number) => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'state-file-'));
  dirs.push(dir);
  const path = join(dir, 'pods.json');
  const states: StateFile[] = [];
  const errors: unknown[] = [];
  let done = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  const report = (): void => {
    done++;
    for (const w of waiting.filter((x) => x.n <= done)) w.resolve();
  };
  const writer = new StateFileWriter(
    path,
    () => states[states.length - 1]!,
    (error) => {
      errors.push(error);
      report();
    },
    report,
  );
  // Resolves once n writes (either kind) have reported.
  const writes = (n: number): Promise<void> => (done >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve })));
  return { path, dir, states, writer, errors, writes };
}

const state = (pid: number, run: string | null = 'run-1'): StateFile => ({ pid, start: null, boot: null, run, groups: [{ pgid: pid, start: '1', podId: `p${pid}` }], spawning: [] });

describe('StateFileWriter', () => {
  it('writes the latest state once more when changes arrive during a write, never more than one at a time', async () => {
    const { path, dir, states, writer, errors, writes } = setup();
    states.push(state(10));
    writer.write();
    states.push(state(11));
    writer.write(); // running: remembered
    states.push(state(12));
    writer.write(); // still one more, not two
    await writes(2);
    expect(errors).toEqual([]);
    expect(readStateFile(path)?.pid).toBe(12);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['pods.json']);
  });

  it('keeps the final synchronous state even when an older background write finishes after it', async () => {
    const { path, states, writer, errors, writes } = setup();
    states.push(state(20));
    writer.write();
    writer.finish(state(21, null)); // on disk now (write 1)
    expect(readStateFile(path)?.pid).toBe(21);
    // Write 2: the background write of pid 20 renames over it; write 3: the final state again.
    await writes(3);
    expect(errors).toEqual([]);
    expect(readStateFile(path)).toMatchObject({ pid: 21, run: null });
    states.push(state(22));
    writer.write(); // after finish: ignored
    expect(readStateFile(path)?.pid).toBe(21);
  });

  it('reports a failed synchronous write to the caller', async () => {
    const { dir, states, errors } = setup();
    const writer = new StateFileWriter(join(dir, 'missing', 'pods.json'), () => states[0]!, (error) => errors.push(error), () => {});
    states.push(state(30));
    writer.writeSync();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
