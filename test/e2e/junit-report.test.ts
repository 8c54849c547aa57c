import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitSchemaProblems } from '../schemas/junit-schema.js';
import { fx, runCli, tempDir, writeConfig } from './harness.js';

/** Times and the start timestamp differ per run; everything else in the report is exact. */
const stable = (xml: string): string => xml.replace(/ time="\d+\.\d{3}"/g, ' time="T"').replace(/ timestamp="[^"]+"/g, ' timestamp="TS"');

async function runWithReport(toml: string): Promise<{ code: number | null; xml: string }> {
  const dir = tempDir();
  const file = writeConfig(toml, dir);
  const report = join(dir, 'reports', 'junit.xml');
  // Run from the file's directory, as CI runs from its checkout: the report is named "tasks.toml".
  const run = runCli(['run', file, '--exit-on-complete', '--no-timestamps', '--report', report], { cwd: dirname(file) });
  const { code } = await run.exit();
  // It holds the jobs' output: private to the user, like the log file.
  expect(statSync(report).mode & 0o777).toBe(0o600);
  return { code, xml: readFileSync(report, 'utf8') };
}

describe('the JUnit report of a real run passes the report schema (as strict as Jenkins xunit junit-10)', () => {
  it('passing jobs: stdout in <system-out>, stderr in <system-err>', async () => {
    const { code, xml } = await runWithReport(`[tasks.pass]\ncommand = [${fx('print-both-streams.sh')}, "0"]\nrestart = "never"\nreplicas = 2\n`);
    expect(code).toBe(0);
    expect(await junitSchemaProblems(xml)).toEqual([]);
    expect(stable(xml)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="tasks.toml" tests="2" failures="0" errors="0" time="T">',
        '  <testsuite name="pass" tests="2" failures="0" errors="0" skipped="0" time="T" timestamp="TS">',
        '    <testcase classname="pass" name="pass-0" time="T">',
        '      <system-out>to stdout</system-out>',
        '      <system-err>to stderr</system-err>',
        '    </testcase>',
        '    <testcase classname="pass" name="pass-1" time="T">',
        '      <system-out>to stdout</system-out>',
        '      <system-err>to stderr</system-err>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('a failing job and its skipped dependent', async () => {
    const { code, xml } = await runWithReport(
      `[tasks.fail]\ncommand = [${fx('exit-code.sh')}, "3"]\nrestart = "never"\n\n[tasks.after]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\ndepends_on = { fail = "completed" }\n`,
    );
    expect(code).toBe(1);
    expect(await junitSchemaProblems(xml)).toEqual([]);
    expect(stable(xml)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="tasks.toml" tests="2" failures="1" errors="0" time="T">',
        '  <testsuite name="fail" tests="1" failures="1" errors="0" skipped="0" time="T" timestamp="TS">',
        '    <testcase classname="fail" name="fail-0" time="T">',
        '      <failure message="fail-0 exited with code 3" type="exit-code">exiting with 3</failure>',
        '      <system-out>exiting with 3</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="after" tests="1" failures="0" errors="0" skipped="1" time="T" timestamp="TS">',
        '    <testcase classname="after" name="after-0" time="T">',
        '      <skipped message="skipped: dependency &quot;fail&quot; failed: fail-0 exited with code 3"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('errored jobs: one that cannot start, one killed by a signal', async () => {
    // "$$$$": the loader turns "$$" into "$", so the shell gets "$$", its own pid.
    const { code, xml } = await runWithReport(
      `[tasks.missing]\ncommand = ["./no-such-program"]\nrestart = "never"\n\n[tasks.killed]\ncommand = ["sh", "-c", "echo going; kill -KILL $$$$"]\nrestart = "never"\n`,
    );
    expect(code).toBe(1);
    expect(await junitSchemaProblems(xml)).toEqual([]);
    expect(stable(xml)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="tasks.toml" tests="2" failures="0" errors="2" time="T">',
        '  <testsuite name="missing" tests="1" failures="0" errors="1" skipped="0" time="T" timestamp="TS">',
        '    <testcase classname="missing" name="missing-0" time="T">',
        '      <error message="missing-0 cannot start &quot;./no-such-program&quot;: no such file" type="start-error"></error>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="killed" tests="1" failures="0" errors="1" skipped="0" time="T" timestamp="TS">',
        '    <testcase classname="killed" name="killed-0" time="T">',
        '      <error message="killed-0 killed by SIGKILL" type="signal">going</error>',
        '      <system-out>going</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });
});
