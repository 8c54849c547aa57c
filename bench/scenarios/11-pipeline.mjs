// Pipeline mode as a parallel runner: N small Python jobs (examples/pipeline/job.py's `work` on one
// input line) through `run --stdin-topic jobs --stdout-topic jobs.result --exit-on-complete` with the
// example's pool of 4 persistent workers, against `xargs -P 4 -n 1 python3 job.py` and GNU
// `parallel -j 4 python3 job.py` (skipped when not installed) on the same input in the same run.
// jobs/s = N / wall time from spawn to exit (pod and interpreter start-ups included); every run's
// sorted output must equal the serial result, else the run is an error.
// Every arm runs with the directory of the real `python3` first on PATH: a version manager's shim
// (pyenv's is a bash script) would add its own start-up to every job of the baselines and flatter us.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { delimiter, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliPath, envNum, ROOT, run } from '../lib/harness.mjs';

const EXAMPLE = join(ROOT, 'examples', 'pipeline');
const jobs = () => envNum('BENCH_PIPELINE_JOBS', 2000);
const input = () => Array.from({ length: jobs() }, (_, i) => `${i + 1}\n`).join('');
/** What job.py prints for each line, sorted: the serial result. */
const expected = () => Array.from({ length: jobs() }, (_, i) => String(i + 1)).map((l) => `${l} ${createHash('sha256').update(l).digest('hex').slice(0, 16)}`).sort();

function installed(program) {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let pathEnv;
/** PATH with the real interpreter's directory first (resolved once, through any shim). */
function realPythonPath() {
  pathEnv ??= `${dirname(execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim())}${delimiter}${process.env.PATH ?? ''}`;
  return pathEnv;
}

/** Runs `file args` with the input on stdin; jobs/s, after checking the sorted output. */
async function timed(what, file, args) {
  const lines = [];
  const started = performance.now();
  const proc = run(file, args, { env: { PATH: realPythonPath() }, onLine: (l) => lines.push(l), timeoutMs: 600000 });
  proc.child.stdin.end(input());
  const { code, signal, timedOut } = await proc.exited;
  const seconds = (performance.now() - started) / 1000;
  if (timedOut || code !== 0) throw new Error(`${what}: exit ${code ?? signal}${timedOut ? ' (timed out)' : ''}\n${proc.tail()}`);
  const want = expected();
  const got = lines.sort();
  if (got.length !== want.length || got.some((l, i) => l !== want[i])) throw new Error(`${what}: sorted output differs from the serial result (${got.length} lines, ${want.length} expected)`);
  return jobs() / seconds;
}

const job = join(EXAMPLE, 'job.py');

export default {
  id: 'pipeline',
  roundMs: 200000,
  // One round by default: the xargs and parallel baselines start an interpreter per job (minutes).
  runs: () => envNum('BENCH_PIPELINE_RUNS', 1),
  measurements: () => ({
    ours: { orchestrator: true, fn: () => timed('pipeline mode', cliPath(), ['run', join(EXAMPLE, 'pool.toml'), '--stdin-topic', 'jobs', '--stdout-topic', 'jobs.result', '--exit-on-complete', '--log-level', 'warn']) },
    xargs: { fn: () => timed('xargs', 'xargs', ['-P', '4', '-n', '1', 'python3', job]) },
    parallel: installed('parallel') ? { fn: () => timed('parallel', 'parallel', ['--will-cite', '-j', '4', 'python3', job]) } : { unavailable: 'GNU parallel not installed (apt-get install parallel)' },
  }),
  rows: (s) => [
    { scenario: `pipeline mode: ${jobs()} Python jobs, pool of 4 vs xargs -P 4 -n 1 python3 job.py`, unit: 'jobs/s', ours: s.ours, baseline: { label: 'xargs -P 4 -n 1', series: s.xargs }, target: { kind: 'ratio-min', value: 20, text: '≥ 20× xargs' } },
    { scenario: `pipeline mode: ${jobs()} Python jobs, pool of 4 vs GNU parallel -j 4`, unit: 'jobs/s', ours: s.ours, baseline: { label: 'parallel -j 4', series: s.parallel }, target: { kind: 'ratio-min', value: 20, text: '≥ 20× parallel' } },
  ],
};
