// `run --ui` and `--open`: the dashboard's route, its announcement and the browser launcher. Their
// modules are imported only for a run that asks for them, so a plain run never loads them.
import type { TcpAddress } from '../control/address.js';
import type { Route } from '../control/routes.js';
import type { Logger } from '../util/logger.js';
import type { TerminalPrinter } from './printer.js';
import { dashboardUrl } from './ui-flags.js';

/** The route that serves dist/ui/, when the run has --ui; none otherwise. */
export async function dashboardRoutes(ui: boolean): Promise<Route[]> {
  if (!ui) return [];
  const [{ uiRoute }, { uiFiles }] = await Promise.all([import('../control/ui-route.js'), import('../control/ui-static.js')]);
  return [uiRoute(uiFiles())];
}

export interface DashboardAnnouncement {
  readonly address: TcpAddress;
  /** The token from ORCHESTRATOR_TOKEN (never printed), or null when `token` was generated. */
  readonly envToken: string | null;
  readonly token: string;
  readonly open: boolean;
  /** Where the browser launcher may write its file (the control socket's directory). */
  readonly launcherDir: string;
  readonly printer: TerminalPrinter;
  readonly logger: Logger;
}

/** Prints the dashboard's URL (with the generated token on a terminal only) and opens it with --open. Returns the URL without token. */
export async function announceDashboard(a: DashboardAnnouncement): Promise<string> {
  const url = dashboardUrl(a.address);
  // To the terminal only, never the log: the token in a URL on a CI log would outlive the run.
  const withToken = a.envToken === null && process.stdout.isTTY === true;
  a.printer.system(`dashboard: ${withToken ? `${url}#token=${a.token}` : `${url} (${a.envToken === null ? 'open it with "orchestrator ui"' : 'token from ORCHESTRATOR_TOKEN'})`}`);
  if (a.open) {
    const { mayOpenBrowser, openBrowser } = await import('./open-browser.js');
    if (!mayOpenBrowser(process.stdout.isTTY === true, process.env)) a.logger.info('--open: not a terminal, or CI is set: no browser opened');
    else void openBrowser(`${url}${a.envToken === null ? `#token=${a.token}` : ''}`, a.launcherDir).then((problem) => problem !== null && a.logger.warn(`--open: ${problem}`));
  }
  return url;
}

/** Removes what --open left for the browser (after the run). */
export async function removeDashboardLauncher(dir: string): Promise<void> {
  const { removeLauncher } = await import('./open-browser.js');
  removeLauncher(dir);
}
