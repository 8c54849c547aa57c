import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { StatusInfo } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions } from '../control-args.js';
import { mayOpenBrowser, openBrowser } from '../open-browser.js';
import { EXIT } from '../usage-error.js';

export const uiHelp = `Usage: orchestrator ui [--print]

Opens the dashboard of the running instance (started with "run --ui") in a browser. The URL,
with its token, comes over the instance's 0600 control socket; the browser is given a private
redirect file, so the token is in no process's argv. Without a terminal, with CI set, or with
--print, the URL is printed instead.
  --print   print the URL (with #token=) instead of opening a browser
${controlHelp}`;

export async function uiCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...controlOptions, print: { type: 'boolean' } } });
  const client = clientFrom(values);
  const status = await client.call<StatusInfo>('GET', '/v1/status');
  if (status.ui === null) {
    process.stderr.write(`orchestrator: the instance at ${client.describe()} runs without a dashboard; start it with "orchestrator run --ui"\n`);
    return EXIT.failed;
  }
  const socket = client.socketPath;
  if (values.print === true || socket === null || !mayOpenBrowser(process.stdout.isTTY === true, process.env)) {
    process.stdout.write(`${status.ui.url}\n`);
    return EXIT.ok;
  }
  const problem = await openBrowser(status.ui.url, dirname(socket));
  if (problem !== null) {
    process.stderr.write(`orchestrator: ${problem}\n`);
    process.stdout.write(`${status.ui.url}\n`);
  }
  return EXIT.ok;
}
