import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { junitSchemaProblems } from '../../test/schemas/junit-schema.js';
import { type JUnitOutputLine, type JUnitReport, renderJUnit, reportName, writeJUnitReport } from './junit.js';

/**
 * A strict little XML parser for checking the report: elements, double- or single-quoted
 * attributes, text, the five named entities and numeric references. It throws on anything a
 * well-formedness check would reject (mismatched or unclosed tags, a bare "<" or "&", a duplicate
 * attribute, characters XML 1.0 forbids, content after the root).
 */
interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  text: string;
}

function parseXml(source: string): XmlNode {
  // eslint-disable-next-line no-control-regex -- looking for forbidden control characters
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/.test(source)) throw new Error('forbidden character');
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i}: ${JSON.stringify(source.slice(i, i + 30))}`);
  };
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail('bare "<"');
    return raw.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
      if (name === undefined) return fail('bare "&"');
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (name in named) return named[name] ?? '';
      if (/^#x[0-9a-f]+$/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (/^#\d+$/.test(name)) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return fail(`unknown entity ${whole}`);
    });
  };
  const skipSpace = (): void => {
    while (/\s/.test(source[i] ?? '')) i++;
  };
  const element = (): XmlNode => {
    if (source[i] !== '<') fail('expected "<"');
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(source.slice(i))?.[0] ?? fail('expected a tag name');
    i += name.length;
    const node: XmlNode = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return node;
      }
      if (source[i] === '>') break;
      const attr = /^([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')/.exec(source.slice(i)) ?? fail('bad attribute');
      const [whole, key = '', quoted = ''] = attr;
      if (key in node.attrs) fail(`duplicate attribute ${key}`);
      node.attrs[key] = decode(quoted.slice(1, -1));
      i += whole.length;
    }
    i++;
    for (;;) {
      const next = source.indexOf('<', i);
      if (next < 0) fail(`unclosed <${name}>`);
      node.text += decode(source.slice(i, next));
      i = next;
      if (source.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!source.startsWith(close, i)) fail(`expected ${close}`);
        i += close.length;
        return node;
      }
      node.children.push(element());
    }
  };
  if (source.startsWith('<?xml')) i = source.indexOf('?>') + 2;
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== source.length) fail('content after the root element');
  return root;
}

const out = (text: string): JUnitOutputLine => ({ stream: 'stdout', text });
const err = (text: string): JUnitOutputLine => ({ stream: 'stderr', text });

const report: JUnitReport = {
  name: 'examples/ci/tasks.toml',
  startedAt: new Date('2026-01-02T03:04:05.678Z'),
  durationMs: 12_345,
  suites: [
    {
      task: 'migrate',
      cases: [{ name: 'migrate-1', durationMs: 1500, result: { type: 'passed' }, output: [out('applied 3 migrations'), err('warning: slow index'), out('done')] }],
    },
    {
      task: 'test',
      cases: [
        { name: 'test-1', durationMs: 2000, result: { type: 'passed' }, output: [] },
        {
          name: 'test-2',
          durationMs: 2250,
          result: { type: 'failed', message: 'exited with code 1 after 2 restarts\n"<oops>" & more', kind: 'exit-code' },
          output: Array.from({ length: 60 }, (_, n) => out(`line ${n + 1}`)).concat([err('\x1b[31mred\x1b[0m <b>&amp;</b> \x00\x07bell \ud800lone ]]> ok')]),
        },
      ],
    },
    {
      task: 'deploy',
      cases: [
        { name: 'deploy-1', durationMs: 0, result: { type: 'skipped', message: 'dependency "test" failed: exited with code 1' }, output: [] },
        { name: 'deploy-2', durationMs: 0, result: { type: 'skipped', message: 'dependency "test" failed: exited with code 1' }, output: [] },
      ],
    },
    {
      task: 'smoke',
      cases: [{ name: 'smoke-0', durationMs: 0, result: { type: 'errored', message: 'smoke-0 could not start: spawn nope ENOENT', kind: 'start-error' }, output: [err('nope: not found')] }],
    },
  ],
};

describe('renderJUnit', () => {
  const xml = renderJUnit(report);
  const root = parseXml(xml);

  test('is well-formed and starts with an XML declaration', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.name).toBe('testsuites');
  });

  test('totals on <testsuites> (only the attributes junit-10 allows there), one <testsuite> per task with its own counts', () => {
    expect(root.attrs).toEqual({ name: 'examples/ci/tasks.toml', tests: '6', failures: '1', errors: '1', time: '12.345' });
    expect(root.children.map((s) => [s.name, s.attrs])).toEqual([
      ['testsuite', { name: 'migrate', tests: '1', failures: '0', errors: '0', skipped: '0', time: '1.500', timestamp: '2026-01-02T03:04:05' }],
      ['testsuite', { name: 'test', tests: '2', failures: '1', errors: '0', skipped: '0', time: '4.250', timestamp: '2026-01-02T03:04:05' }],
      ['testsuite', { name: 'deploy', tests: '2', failures: '0', errors: '0', skipped: '2', time: '0.000', timestamp: '2026-01-02T03:04:05' }],
      ['testsuite', { name: 'smoke', tests: '1', failures: '0', errors: '1', skipped: '0', time: '0.000', timestamp: '2026-01-02T03:04:05' }],
    ]);
  });

  test('one <testcase> per replica: classname = task, name = replica, time in seconds; stdout and stderr apart', () => {
    const cases = root.children.flatMap((suite) => suite.children);
    expect(cases.map((c) => [c.name, c.attrs, c.children.map((child) => child.name)])).toEqual([
      ['testcase', { classname: 'migrate', name: 'migrate-1', time: '1.500' }, ['system-out', 'system-err']],
      ['testcase', { classname: 'test', name: 'test-1', time: '2.000' }, []],
      ['testcase', { classname: 'test', name: 'test-2', time: '2.250' }, ['failure', 'system-out', 'system-err']],
      ['testcase', { classname: 'deploy', name: 'deploy-1', time: '0.000' }, ['skipped']],
      ['testcase', { classname: 'deploy', name: 'deploy-2', time: '0.000' }, ['skipped']],
      ['testcase', { classname: 'smoke', name: 'smoke-0', time: '0.000' }, ['error', 'system-err']],
    ]);
    expect(cases[0]?.children.map((child) => child.text)).toEqual(['applied 3 migrations\ndone', 'warning: slow index']);
    expect(cases[3]?.children[0]?.attrs).toEqual({ message: 'dependency "test" failed: exited with code 1' });
    expect(cases[5]?.children.map((child) => [child.attrs, child.text])).toEqual([
      [{ message: 'smoke-0 could not start: spawn nope ENOENT', type: 'start-error' }, 'nope: not found'],
      [{}, 'nope: not found'],
    ]);
  });

  test('a failure has the message (line breaks kept), the type and the last 50 output lines of both streams, cleaned and escaped', () => {
    const [failure, stdout, stderr] = root.children[1]?.children[1]?.children ?? [];
    expect(failure?.attrs).toEqual({ message: 'exited with code 1 after 2 restarts\n"<oops>" & more', type: 'exit-code' });
    const lines = failure?.text.split('\n') ?? [];
    expect(lines).toHaveLength(50);
    expect(lines[0]).toBe('line 12');
    expect(lines[49]).toBe('red <b>&amp;</b> bell lone ]]> ok');
    expect(stdout?.text.split('\n')).toEqual(Array.from({ length: 60 }, (_, n) => `line ${n + 1}`));
    expect(stderr?.text).toBe('red <b>&amp;</b> bell lone ]]> ok');
  });

  test('an empty report is still a valid document', () => {
    const empty = parseXml(renderJUnit({ name: 'x', startedAt: new Date(0), durationMs: 0, suites: [] }));
    expect(empty.attrs).toEqual({ name: 'x', tests: '0', failures: '0', errors: '0', time: '0.000' });
    expect(empty.children).toEqual([]);
  });

  test('the checker itself rejects malformed XML', () => {
    for (const bad of ['<a>', '<a></b>', '<a x="1" x="2"/>', '<a>&nope;</a>', '<a>1 & 2</a>', '<a/><b/>', '<a>\x01</a>']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});

describe('the report schema (test/schemas/junit-report.xsd, as strict as Jenkins xunit junit-10)', () => {
  test.each([
    ['every kind of result', report],
    ['an empty report', { name: 'tasks.toml', startedAt: new Date(0), durationMs: 0, suites: [] }],
    ['a suite without replicas', { ...report, suites: [{ task: 'none', cases: [] }] }],
  ] as const)('accepts %s', async (_what, value) => {
    expect(await junitSchemaProblems(renderJUnit(value))).toEqual([]);
  });

  test.each([
    ['skipped on <testsuites>', (xml: string) => xml.replace('<testsuites name="examples/ci/tasks.toml"', '<testsuites skipped="2" name="examples/ci/tasks.toml"'), "attribute 'skipped': The attribute 'skipped' is not allowed."],
    ['timestamp on <testsuites>', (xml: string) => xml.replace('<testsuites ', '<testsuites timestamp="2026-01-02T03:04:05" '), "attribute 'timestamp': The attribute 'timestamp' is not allowed."],
    ['an absolute report name', (xml: string) => xml.replace('name="examples/ci/tasks.toml"', 'name="/home/ci/examples/ci/tasks.toml"'), "attribute 'name': [facet 'pattern']"],
    ['stderr before stdout', (xml: string) => xml.replace('<system-out>applied 3 migrations\ndone</system-out>\n      <system-err>warning: slow index</system-err>', '<system-err>warning: slow index</system-err>\n      <system-out>applied 3 migrations\ndone</system-out>'), "Element 'system-out': This element is not expected."],
    ['a time with a comma', (xml: string) => xml.replace('time="12.345"', 'time="12,345"'), "attribute 'time': [facet 'pattern']"],
  ])('rejects %s', async (_what, mutate, problem) => {
    const xml = mutate(renderJUnit(report));
    expect(xml).not.toBe(renderJUnit(report));
    expect(await junitSchemaProblems(xml)).toEqual([expect.stringContaining(problem)]);
  });
});

describe('reportName', () => {
  test.each([
    ['/work/repo/tasks.toml', '/work/repo', 'tasks.toml'],
    ['/work/repo/examples/ci/tasks.toml', '/work/repo', 'examples/ci/tasks.toml'],
    ['/tmp/run-1/ci/tasks.toml', '/work/repo', 'ci/tasks.toml'],
    ['/tasks.toml', '/work/repo', 'tasks.toml'],
  ])('%s run from %s is %j', (file, cwd, name) => {
    expect(reportName(file, cwd)).toBe(name);
  });
});

describe('writeJUnitReport', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'junit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('creates the directory and leaves only the finished file', async () => {
    const file = path.join(dir, 'reports', 'junit.xml');
    await writeJUnitReport(file, report);
    expect(readFileSync(file, 'utf8')).toBe(renderJUnit(report));
    expect(readdirSync(path.dirname(file))).toEqual(['junit.xml']);
  });
});
