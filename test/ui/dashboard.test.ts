/**
 * The dashboard in a real Chromium against a real `orchestrator run --ui`: the demo (producer,
 * three workers, logger) plus a crash-looping task that also writes stderr and a task that
 * dead-letters everything it gets. Waits are on DOM state and API answers, never on sleeps.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterInfo, LogLine, PodInfo } from '../../src/control/api-types.js';
import { fx, ROOT, runCli } from '../e2e/harness.js';
import { BROWSER_REQUIRED, CHROMIUM, launchChromium, MISSING_BROWSER, startDashboard, type Dashboard } from './browser.js';

const ex = (name: string): string => JSON.stringify(join(ROOT, 'examples', name));
const TOML = `
[tasks.producer]
command = ["node", ${ex('producer.mjs')}]

[tasks.worker]
command = ["python3", ${ex('worker.py')}]
replicas = 3
subscribe = ["jobs"]
mode = "round_robin"
env = { WORK_SECONDS = "0.3" }
show_stdout = false

[tasks.logger]
command = ["node", ${ex('fanout-logger.mjs')}]
subscribe = ["jobs.result"]
show_stdout = false

[tasks.flaky]
command = ["sh", ${fx('print-both-streams.sh')}, "1"]
backoff = { base = "1s", max = "2s" }
show_stdout = false
show_stderr = false

[tasks.picky]
command = ["node", ${fx('never-ack.mjs')}]
subscribe = ["payments"]
mode = "round_robin"
ack_timeout = "300ms"
max_deliveries = 1
show_stdout = false

[tasks.audit]
command = ["node", ${fx('print-messages.mjs')}]
subscribe = ["payments"]
show_stdout = false
`;

/** vitest's expect.poll gives up after 1 s by default; a loaded machine needs longer. */
const POLL = { timeout: 20_000, interval: 100 } as const;

/** Exact text, for "until this cell shows something else". */
const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

if (CHROMIUM === null && BROWSER_REQUIRED) {
  describe('dashboard in Chromium', () => {
    it('needs a browser', () => {
      throw new Error(MISSING_BROWSER);
    });
  });
}

// Each test waits on a real run and a real browser on a shared 2-core machine: generous deadlines,
// and Playwright's below vitest's so a failing wait names itself.
describe.skipIf(CHROMIUM === null)('dashboard in Chromium', { timeout: 60_000 }, () => {
  let d: Dashboard;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [d, browser] = await Promise.all([startDashboard(TOML), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (d !== undefined && d.run.child.exitCode === null) {
      d.run.signal('SIGINT');
      await d.run.exit();
    }
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
    context.setDefaultTimeout(25_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page };
  }

  /** Opens the printed URL with the token in the fragment, as the printed link does on a terminal. */
  async function openDashboard(path = ''): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await newPage();
    await opened.page.goto(`${d.url}${path}#token=${d.token}`);
    await opened.page.locator('tr[data-pod="producer-0"]').waitFor();
    return opened;
  }

  async function ps(): Promise<PodInfo[]> {
    const cli = runCli(['ps', '-o', 'json', '-f', d.config]);
    const exit = await cli.exit();
    expect(exit.code).toBe(0);
    return (JSON.parse(cli.lines.join('\n')) as { pods: PodInfo[] }).pods;
  }

  it('moves the token from the fragment to sessionStorage; the demo pods appear and update live', async () => {
    const { context, page } = await openDashboard();
    expect(await page.evaluate('location.hash')).toBe('');
    expect(await page.evaluate("sessionStorage.getItem('orchestrator.token')")).toBe(d.token);
    for (const pod of ['producer-0', 'worker-0', 'worker-1', 'worker-2', 'logger-0', 'picky-0']) await page.locator(`tr[data-pod="${pod}"]`).waitFor();
    // The logger's delivered count grows with every job result, through the watch stream.
    const flow = page.locator('tr[data-pod="logger-0"] td.flow');
    const before = (await flow.textContent()) ?? '';
    await page.locator('tr[data-pod="logger-0"] td.flow', { hasNotText: exactly(before) }).waitFor();
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-connection'), POLL).toBe('live');
    await context.close();
  });

  it('scaling from the UI changes `orchestrator ps`', async () => {
    const { context, page } = await openDashboard();
    await page.getByRole('button', { name: 'scale worker up' }).click();
    await page.locator('tr[data-pod="worker-3"]').waitFor();
    expect((await ps()).filter((p) => p.task === 'worker' && !p.leaving).map((p) => p.name).sort()).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3']);
    // Scaling down picks the least busy pod, whichever index it has.
    await page.getByRole('button', { name: 'scale worker down' }).click();
    await expect.poll(() => page.locator('tr[data-pod^="worker-"]').count(), POLL).toBe(3);
    const names = (await ps()).filter((p) => p.task === 'worker').map((p) => p.name);
    expect(names).toHaveLength(3);
    expect(new Set(await page.locator('tr[data-pod^="worker-"]').evaluateAll((rows) => rows.map((r) => r.dataset.pod)))).toEqual(new Set(names));
    await context.close();
  });

  it('a crash shows as backoff, in red, and the restart count rises', async () => {
    const { context, page } = await openDashboard();
    // Text and colour read in one evaluation: the pod leaves backoff again within a second or two.
    const status = page.locator('tr[data-pod="flaky-0"] [data-cell="status"]');
    await expect
      .poll(() => status.evaluate((el) => (el.textContent === 'backoff' ? el.ownerDocument.defaultView.getComputedStyle(el).color : 'not in backoff')), POLL)
      .toBe('rgb(198, 40, 40)');
    const restarts = page.locator('tr[data-pod="flaky-0"] [data-cell="restarts"]');
    const before = Number(await restarts.textContent());
    await page.locator('tr[data-pod="flaky-0"] [data-cell="restarts"]', { hasNotText: exactly(String(before)) }).waitFor();
    expect(Number(await restarts.textContent())).toBeGreaterThan(before);
    await context.close();
  });

  it('filters the logs of a task by a /regex/ typed after `/`, and marks stderr', async () => {
    const { context, page } = await openDashboard();
    await page.locator('tr[data-task="worker"] td.name').click();
    await expect.poll(() => page.evaluate('location.pathname'), POLL).toBe('/ui/t/worker');
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate("document.activeElement.getAttribute('aria-label')"), POLL).toBe('log filter');
    await page.keyboard.type('/on build-\\d*[13]$/');
    await expect.poll(() => page.evaluate('location.search'), POLL).toBe(`?${new URLSearchParams({ q: '/on build-\\d*[13]$/' }).toString()}`);
    const lines = page.locator('.log-lines .log-line');
    await lines.first().waitFor();
    const pods = await page.locator('.log-lines .log-line .pod').allTextContents();
    const texts = await page.locator('.log-lines .log-line .text').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => /^working on build-\d*[13]$/.test(t))).toBe(true);
    expect(pods.every((p) => /^worker-\d$/.test(p))).toBe(true);
    // The flaky task's stderr line is marked; "stderr only" keeps nothing else.
    await page.keyboard.press('Escape');
    await page.locator('tr[data-task="flaky"] td.name').click();
    await page.getByRole('combobox', { name: 'stream' }).selectOption('stderr');
    await page.locator('.log-line.stderr', { hasText: 'to stderr' }).first().waitFor();
    const streams = await page.locator('.log-lines .log-line').evaluateAll((els) => els.map((e) => `${e.dataset.stream} ${e.querySelector('.text').textContent}`));
    expect(streams.length).toBeGreaterThan(0);
    expect(new Set(streams)).toEqual(new Set(['stderr to stderr']));
    await context.close();
  });

  it('shows a dead letter with its data, and retrying it delivers it again to that task only', async () => {
    await d.api('/v1/publish', { topic: 'payments', data: 'pay-<b>1</b>' });
    const { context, page } = await openDashboard();
    await page.getByRole('tab', { name: /Dead letters/ }).click();
    const row = page.locator('tr[data-dead-id]', { hasText: 'pay-<b>1</b>' });
    await row.waitFor();
    // Untrusted data is text: the markup shows literally and creates no element.
    expect(await page.locator('.dead pre.data b').count()).toBe(0);
    const id = (await row.getAttribute('data-dead-id')) ?? '';
    await page.getByRole('button', { name: `retry ${id}` }).click();
    await page.locator('.notice.ok', { hasText: 'retried 1 message of picky' }).waitFor();
    // picky got it again (it never acks, so it dead-letters it again, as a new message)...
    await expect
      .poll(async () => (await d.api<{ dead: DeadLetterInfo[] }>('/v1/tasks/picky/dead')).dead.filter((l) => l.data === 'pay-<b>1</b>' && l.id !== id).length, POLL)
      .toBe(1);
    // ...and the broadcast subscriber of the topic, which had it when it was published, did not: a
    // marker published after the retry reaches it in order, with the message still there once.
    await d.api('/v1/publish', { topic: 'payments', data: 'pay-marker' });
    const audit = async (): Promise<string[]> => (await d.api<{ lines: LogLine[] }>('/v1/logs?target=audit')).lines.map((l) => l.line).filter((l) => l.startsWith('payments '));
    await expect.poll(async () => (await audit()).includes('payments "pay-marker"'), POLL).toBe(true);
    expect((await audit()).filter((l) => l === 'payments "pay-<b>1</b>"')).toHaveLength(1);
    await context.close();
  });

  it('kills one pod after a confirmation; its controller replaces it', async () => {
    const { context, page } = await openDashboard();
    const restartsOf = async () => ((await d.api<{ pods: PodInfo[] }>('/v1/pods')).pods.find((p) => p.name === 'logger-0')?.restarts ?? -1);
    const before = await restartsOf();
    await page.getByRole('button', { name: 'kill logger-0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill logger-0?' });
    await dialog.getByRole('button', { name: 'kill' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(restartsOf, POLL).toBe(before + 1);
    await page.locator('tr[data-pod="logger-0"] [data-cell="restarts"]', { hasText: exactly(String(before + 1)) }).waitFor();
    await context.close();
  });

  it('a wrong token gets the login view and no data; the right one then opens the dashboard', async () => {
    const { context, page } = await newPage();
    const answers: Array<[string, number]> = [];
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path.startsWith('/v1/')) answers.push([path, res.status()]);
    });
    await page.goto(`${d.url}#token=wrong-token`);
    await page.getByRole('form', { name: 'sign in' }).waitFor();
    expect(await page.evaluate('location.hash')).toBe('');
    expect(await page.evaluate("sessionStorage.getItem('orchestrator.token')")).toBeNull();
    expect(await page.locator('tr[data-pod], tr[data-task], .log-line').count()).toBe(0);
    expect(answers).toEqual([['/v1/status', 401]]);
    await page.getByLabel('token').fill(d.token);
    await page.getByRole('button', { name: 'open' }).click();
    await page.locator('tr[data-pod="producer-0"]').waitFor();
    await context.close();
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (CSRF), from a browser', async () => {
    const { context, page } = await newPage();
    const port = new URL(d.origin).port;
    // evil.test resolves to 127.0.0.1 in this browser: same socket, foreign name.
    const rebound = await page.goto(`http://evil.test:${port}/ui/`);
    expect(rebound?.status()).toBe(403);
    expect(await rebound?.text()).toContain('FORBIDDEN_HOST');
    // A page of another origin (another port) posts to the API without a token, and with one.
    const foreign: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>elsewhere</p>'));
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const refused = page.waitForResponse((res) => res.url() === `${d.origin}/v1/stop`);
      await page.evaluate(`fetch(${JSON.stringify(`${d.origin}/v1/stop`)}, { method: 'POST', mode: 'no-cors', body: '{}' }).then(() => 'sent')`);
      expect((await refused).status()).toBe(403);
      const read = await page.evaluate(`fetch(${JSON.stringify(`${d.origin}/v1/pods`)}, { headers: { authorization: 'Bearer ' + ${JSON.stringify(d.token)} } }).then(() => 'read', (e) => 'blocked: ' + e.message)`);
      // The token header needs a CORS preflight, which the API never grants: the read never happens.
      expect(read).toMatch(/^blocked: /);
    } finally {
      await new Promise((r) => foreign.close(r));
    }
    expect((await d.api<{ stopping: boolean }>('/v1/status')).stopping).toBe(false);
    await context.close();
  });

  it('deep links, keys and both themes', async () => {
    const { context, page } = await openDashboard('p/producer-0?q=build');
    await expect.poll(() => page.locator('[data-log-target]').textContent(), POLL).toBe('pod producer-0');
    expect(await page.getByLabel('log filter').inputValue()).toBe('build');
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate('location.pathname'), POLL).toBe('/ui/t/worker');
    await page.keyboard.press('k');
    await expect.poll(() => page.evaluate('location.pathname'), POLL).toBe('/ui/p/producer-0');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'keyboard shortcuts' }).waitFor({ state: 'detached' });
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(light).toBe('rgb(251, 251, 252)');
    expect(dark).toBe('rgb(17, 20, 23)');
    await context.close();
  });

  it('applies tasks.toml after a confirmation and says what changed', async () => {
    const { context, page } = await openDashboard();
    await page.getByRole('button', { name: 'apply', exact: true }).click();
    await page.getByRole('dialog', { name: 'Apply tasks.toml?' }).getByRole('button', { name: 'apply' }).click();
    await page.locator('.notice.ok', { hasText: 'applied tasks.toml: no change' }).waitFor();
    await context.close();
  });

  it.skipIf((process.env.SCREENSHOTS ?? '') === '')('takes the docs/img/ screenshots, light and dark (SCREENSHOTS=1)', async () => {
    const { context, page } = await openDashboard();
    const dir = join(ROOT, 'docs', 'img');
    mkdirSync(dir, { recursive: true });
    await page.locator('tr[data-pod="flaky-0"] [data-cell="status"]', { hasText: 'backoff' }).waitFor();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(dir, 'dashboard-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(dir, 'dashboard-dark.png') });
    await page.getByRole('tab', { name: 'Topics' }).click();
    await page.locator('svg.graph [data-node="topic:payments"]').waitFor();
    await page.screenshot({ path: join(dir, 'dashboard-topics-dark.png') });
    await context.close();
  });

  it('stops the run from the stop button after a confirmation (exit 130, as for Ctrl-C)', async () => {
    const { page } = await openDashboard();
    await page.getByRole('button', { name: 'stop', exact: true }).click();
    await page.getByRole('dialog', { name: 'Stop the orchestrator?' }).getByRole('button', { name: 'stop everything' }).click();
    expect((await d.run.exit()).code).toBe(130);
    expect(pageErrors).toEqual([]);
  });
});
