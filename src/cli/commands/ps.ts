import { parseArgs } from 'node:util';
import type { BusInfo, PodInfo, StatusInfo } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { formatAge, formatTable } from '../table.js';
import { EXIT } from '../usage-error.js';

export const psHelp = `Usage: orchestrator ps [TASK...] [-w] [-o json]

One row per pod: NAME STATUS READY RESTARTS AGE PID CPU MEM IN-FLIGHT DELIVERED ACKED.
CPU is % of one core used by the pod's whole process group since the previous sample (the
average since it started on the first one), MEM its resident memory; "-" without /proc.
STATUS "STALLED (12s)": the pod has not read its stdin for that long while messages wait for it.
With a NATS bus, a first line says which instance of which project this is: only its own pods
are listed (other instances run theirs; ask them with their own -f or --socket).
  -w, --watch   print the table again whenever it changes (Ctrl-C to stop)
${controlHelp}`;

export async function psCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions, watch: { type: 'boolean', short: 'w' }  } });
  const format = outputFormat(values.output);
  const client = clientFrom(values);
  const fetch = async (): Promise<PodInfo[]> => {
    const { pods } = await client.call<{ pods: PodInfo[] }>('GET', '/v1/pods');
    return positionals.length === 0 ? pods : pods.filter((p) => positionals.includes(p.task) || positionals.includes(p.name));
  };
  // Fixed for a run's lifetime, so read once.
  const { bus } = await client.call<StatusInfo>('GET', '/v1/status');
  const render = (pods: PodInfo[]): string => {
    if (format === 'json') return JSON.stringify(bus.kind === 'nats' ? { pods, bus } : { pods });
    return `${bus.kind === 'nats' ? `${busHeader(bus)}\n` : ''}${podTable(pods, Date.now())}`;
  };
  if (values.watch !== true) {
    process.stdout.write(`${render(await fetch())}\n`);
    return EXIT.ok;
  }
  let last = '';
  let printed = false;
  for (;;) {
    const pods = await fetch();
    // Ages change every second; compare what matters so the table is printed on real changes.
    const key = JSON.stringify(pods.map((p) => [p.name, p.status, p.ready, p.restarts, p.pid, p.cpu, p.rss, p.inFlight, p.delivered, p.acked, p.stalled]));
    if (key !== last) {
      last = key;
      process.stdout.write(`${format === 'table' && printed ? '\n' : ''}${render(pods)}\n`);
      printed = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `instance a of project shop on nats://***@h:4222 (pods of other instances are not listed)` */
export function busHeader(bus: Extract<BusInfo, { kind: 'nats' }>): string {
  return `instance ${bus.instance} of project ${bus.project} on ${bus.servers.join(', ')} (pods of other instances are not listed)`;
}

export function podTable(pods: readonly PodInfo[], now: number): string {
  return formatTable(
    ['NAME', 'STATUS', 'READY', 'RESTARTS', 'AGE', 'PID', 'CPU', 'MEM', 'IN-FLIGHT', 'DELIVERED', 'ACKED'],
    pods.map((p) => [
      p.name,
      status(p, now),
      p.ready ? '1/1' : '0/1',
      p.lastRestartAt === null ? String(p.restarts) : `${p.restarts} (${formatAge(now - p.lastRestartAt)} ago)`,
      formatAge(now - p.createdAt),
      p.pid === null ? '-' : String(p.pid),
      p.cpu === null ? '-' : `${p.cpu.toFixed(p.cpu < 10 ? 1 : 0)}%`,
      p.rss === null ? '-' : formatBytes(p.rss),
      String(p.inFlight),
      String(p.delivered),
      String(p.acked),
    ]),
  );
}

/** 512K, 12.3M, 1.2G: binary units, as ps and top show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}K`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)}M`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)}G`;
}

function status(p: PodInfo, now: number): string {
  const shown = p.stalledSince === null ? p.status : `STALLED (${formatAge(now - p.stalledSince)})`;
  return p.leaving ? `${shown} (leaving)` : shown;
}
