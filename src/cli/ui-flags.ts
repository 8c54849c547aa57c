import { parseApiAddress, type TcpAddress } from '../control/address.js';
import { formatHostPort } from '../control/token-file.js';
import { UsageError } from './usage-error.js';

/** `--ui` alone, `--ui HOST:PORT` or `--ui=HOST:PORT`: a flag with an optional value, which parseArgs cannot express. */
export function takeUiFlag(argv: readonly string[]): { argv: string[]; ui: { address: string | null } | null } {
  const rest: string[] = [];
  let ui: { address: string | null } | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--ui=')) {
      ui = { address: arg.slice('--ui='.length) };
      continue;
    }
    if (arg !== '--ui') {
      rest.push(arg);
      continue;
    }
    const next = argv[i + 1];
    // Only something shaped HOST:PORT is --ui's value, so `run --ui tasks.toml` keeps its file.
    if (next !== undefined && /^(?:\[[^\]]+\]|[^-][^:]*):\d+$/.test(next)) {
      ui = { address: next };
      i++;
    } else ui = { address: null };
  }
  return { argv: rest, ui };
}

/**
 * The TCP listener of a run from `--api` and `--ui`: `--ui` alone means `--api 127.0.0.1:0`;
 * `--ui ADDR` without `--api` means `--api ADDR`; both must then name the same address. A
 * non-loopback address needs `allowRemote` (ControlAddressError, exit 2).
 */
export function listenerAddress(api: string | undefined, ui: { address: string | null } | null, allowRemote: boolean): TcpAddress | undefined {
  const apiAddress = api === undefined ? undefined : parseApiAddress(api, allowRemote);
  if (ui === null) return apiAddress;
  if (ui.address === null) return apiAddress ?? { host: '127.0.0.1', port: 0 };
  const uiAddress = parseApiAddress(ui.address, allowRemote);
  if (apiAddress !== undefined && formatHostPort(apiAddress) !== formatHostPort(uiAddress)) {
    throw new UsageError(`--ui ${formatHostPort(uiAddress)} and --api ${formatHostPort(apiAddress)} differ: the dashboard is served by the API's listener; give one address (or --ui alone)`);
  }
  return uiAddress;
}

/** The URL a browser opens: a wildcard bind is reached on loopback. No token in it. */
export function dashboardUrl(bound: TcpAddress): string {
  const host = bound.host === '0.0.0.0' ? '127.0.0.1' : bound.host === '::' ? '::1' : bound.host;
  return `http://${formatHostPort({ host, port: bound.port })}/ui/`;
}
