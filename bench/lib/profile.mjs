// Summaries of .cpuprofile files (node --cpu-prof): self time per function and per area (our
// dist/ folders, Node internals by module, GC, idle), summed over every profile of a directory.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where a function lives, coarsely: `dist/bus`, `node:internal/streams`, `(garbage collector)`, … */
export function areaOf(callFrame) {
  const { url, functionName } = callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dist = /\/dist\/([^/]+)(\/|\.js)/.exec(url);
  if (dist) return `dist/${dist[1].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/').replace(/\.js$/, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `node_modules/${nm[1]}`;
  return url.replace(/^file:\/\//, '');
}

function label(callFrame) {
  const { functionName, url, lineNumber } = callFrame;
  const where = url ? `${url.replace(/^file:\/\/.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

/** Adds one profile's self times (µs) into `fns` and `areas` (Maps); returns the sampled µs. */
export function addProfile(profile, fns, areas) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = byId.get(profile.samples[i]).callFrame;
    const t = profile.timeDeltas[i] ?? 0;
    const key = label(frame);
    fns.set(key, (fns.get(key) ?? 0) + t);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + t);
    total += t;
  }
  return total;
}

export function profileFiles(paths) {
  return paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p]));
}

/**
 * { files, totalMs, busyMs, top: [{ name, ms, pct }], areas: [...] } over `files`; pct is of the busy
 * time (all but `(idle)`), which is what the row's work cost.
 */
export function summarizeProfiles(files, top = 12) {
  const fns = new Map();
  const areas = new Map();
  let total = 0;
  for (const f of files) total += addProfile(JSON.parse(readFileSync(f, 'utf8')), fns, areas);
  const busy = total - (areas.get('(idle)') ?? 0);
  const list = (m, n) =>
    [...m.entries()]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: busy > 0 ? (100 * us) / busy : 0 }));
  return { files: files.length, totalMs: total / 1000, busyMs: busy / 1000, top: list(fns, top), areas: list(areas, 8) };
}

/** Markdown for every measurement directory under `root` (`<root>/<scenario>/<measurement>/`). */
export function profileReport(root, top = 10) {
  if (!existsSync(root)) return '';
  const out = ['## Where the time goes (orchestrator --cpu-prof, self time, % of busy samples)'];
  for (const scenario of readdirSync(root).sort()) {
    for (const m of readdirSync(join(root, scenario)).sort()) {
      const files = profileFiles([join(root, scenario, m)]);
      if (files.length === 0) continue;
      const s = summarizeProfiles(files, top);
      out.push('', `### ${scenario} / ${m}: ${s.files} profiles, ${s.busyMs.toFixed(0)} ms busy of ${s.totalMs.toFixed(0)} ms`, '');
      out.push(`By area: ${s.areas.map((a) => `${a.name} ${a.pct.toFixed(0)} %`).join(', ')}`, '');
      out.push('| self % | self ms | function |', '|---:|---:|---|');
      for (const f of s.top) out.push(`| ${f.pct.toFixed(1)} | ${f.ms.toFixed(0)} | ${f.name.replace(/\|/g, '\\|')} |`);
    }
  }
  return out.join('\n');
}
