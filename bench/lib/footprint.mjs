// What a user pays for the orchestrator: its own process plus its watchdog (the child that is not a
// pod and whose argv contains "watchdog"), whatever the watchdog is (Node, sh) and whatever it runs.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuOf, memOf } from './harness.mjs';

/** Parent pid of every live process: Map<ppid, pid[]>. One pass over /proc. */
function childrenMap() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = map.get(ppid) ?? [];
    list.push(Number(name));
    map.set(ppid, list);
  }
  return map;
}

function argvOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/**
 * Pods carry ORCHESTRATOR_POD_ID in their environment; the watchdog does not. Without this a bench
 * run from a checkout whose path contains "watchdog" would count every Node fixture pod.
 */
function isPod(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some((kv) => kv.startsWith('ORCHESTRATOR_POD_ID='));
  } catch {
    return false;
  }
}

/** The watchdog's pid and its descendants (empty when the orchestrator has no watchdog child). */
export function watchdogTree(orchestratorPid) {
  const map = childrenMap();
  const roots = (map.get(orchestratorPid) ?? []).filter((pid) => (argvOf(pid) ?? []).some((a) => a.includes('watchdog')) && !isPod(pid));
  const out = [];
  const walk = (pid) => {
    out.push(pid);
    for (const c of map.get(pid) ?? []) walk(c);
  };
  roots.forEach(walk);
  return out;
}

const sum = (pids, f) => pids.reduce((n, pid) => n + (f(pid) ?? 0), 0);

/**
 * RSS (MB) and CPU seconds of the orchestrator plus its watchdog tree, now. Throws when the
 * orchestrator itself is gone: a footprint of nothing is not a measurement.
 */
export function footprint(pid, what) {
  const own = memOf(pid);
  if (own === null) throw new Error(`${what} (pid ${pid}) exited before its memory was sampled`);
  const dog = watchdogTree(pid);
  const dogKb = sum(dog, (p) => memOf(p)?.rssKb);
  return { rssMb: (own.rssKb + dogKb) / 1024, watchdogMb: dogKb / 1024, watchdogPids: dog, cpuS: (cpuOf(pid) ?? 0) + sum(dog, cpuOf) };
}

/**
 * Samples the orchestrator and its watchdog every `everyMs`. The watchdog is looked up (a /proc
 * scan) until found, at most every 500 ms, not at every tick. stop() gives the peak of the summed
 * RSS and the summed VmHWM (each process's own high-water mark: an upper bound of their joint peak),
 * and `cpu`: [monotonic ns, CPU seconds of the orchestrator] per tick (see cpuBetween).
 */
export function sampleFootprint(pid, everyMs = 50) {
  const cpu = [];
  let dog = [];
  let lastScan = 0;
  let peakRss = 0;
  let peakHwmOwn = 0;
  const hwm = new Map();
  const take = () => {
    const now = Date.now();
    if (dog.length === 0 && now - lastScan >= 500) {
      lastScan = now;
      dog = watchdogTree(pid);
    }
    const own = memOf(pid);
    if (own === null) return;
    const c = cpuOf(pid);
    if (c !== null) cpu.push([process.hrtime.bigint(), c]);
    let rss = own.rssKb;
    peakHwmOwn = Math.max(peakHwmOwn, own.hwmKb);
    for (const p of dog) {
      const m = memOf(p);
      if (m === null) continue;
      rss += m.rssKb;
      hwm.set(p, Math.max(hwm.get(p) ?? 0, m.hwmKb));
    }
    peakRss = Math.max(peakRss, rss);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const dogHwm = [...hwm.values()].reduce((a, b) => a + b, 0);
      return { peakRssMb: peakRss / 1024, peakHwmMb: (peakHwmOwn + dogHwm) / 1024, orchestratorHwmMb: peakHwmOwn / 1024, watchdogHwmMb: dogHwm / 1024, watchdogFound: dog.length > 0, cpu };
    },
  };
}

/**
 * CPU seconds the orchestrator used between two monotonic instants (ns, process.hrtime.bigint(): the
 * same clock in every process of the machine), linearly interpolated between samples. Its start-up
 * is outside a flow's window, so this is the hot path's cost alone; /proc counts in 10 ms ticks.
 */
export function cpuBetween(samples, fromNs, toNs) {
  const at = (t) => {
    if (samples.length === 0) return NaN;
    let i = samples.findIndex(([ns]) => ns >= t);
    if (i === -1) return samples[samples.length - 1][1];
    if (i === 0) return samples[0][1];
    const [t0, c0] = samples[i - 1];
    const [t1, c1] = samples[i];
    return c0 + ((c1 - c0) * Number(t - t0)) / Number(t1 - t0);
  };
  return at(toNs) - at(fromNs);
}
