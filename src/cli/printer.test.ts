import { describe, expect, it } from 'vitest';
import { TerminalPrinter } from './printer.js';

const ESC = '\u001b';

function printer(color: boolean, colorsOf: (task: string) => boolean = () => false) {
  const written: string[] = [];
  const p = new TerminalPrinter({ write: (chunk: string) => written.push(chunk) }, { color, timestamps: false }, ['web-0'], () => 0, colorsOf);
  return { p, output: () => (p.flush(), written.join('')) };
}

describe('TerminalPrinter', () => {
  it('shows pod escape sequences and a lone CR escaped', () => {
    const { p, output } = printer(false);
    p.line('web-0', 'web', 'stdout', `${ESC}]0;title\u0007 ${ESC}[31mred\rorchestrator | fake`);
    expect(output()).toBe('web-0        | \\e]0;title\\a \\e[31mred\\rorchestrator | fake\n');
  });

  it('keeps a pod\'s colours only for a task with colors = true on a colour output', () => {
    const red = `${ESC}[31mred${ESC}[0m`;
    const plain = printer(false, () => true);
    plain.p.line('web-0', 'web', 'stdout', red);
    expect(plain.output()).toBe('web-0        | \\e[31mred\\e[0m\n');

    const optedOut = printer(true, () => false);
    optedOut.p.line('web-0', 'web', 'stdout', red);
    expect(optedOut.output()).toBe(`${ESC}[36mweb-0       ${ESC}[0m ${ESC}[36m|${ESC}[0m \\e[31mred\\e[0m\n`);

    const optedIn = printer(true, (task) => task === 'web');
    optedIn.p.line('web-0', 'web', 'stdout', `${ESC}[32mgreen`);
    expect(optedIn.output()).toBe(`${ESC}[36mweb-0       ${ESC}[0m ${ESC}[36m|${ESC}[0m ${ESC}[32mgreen${ESC}[0m\n`);
  });

  it('prints the orchestrator\'s own messages safely, one prefixed line per line', () => {
    const { p, output } = printer(false);
    p.system(`web-0: not published: topic "a${ESC}[2J" is bad\nsecond line`, 'warn');
    expect(output()).toBe('orchestrator | web-0: not published: topic "a\\e[2J" is bad\norchestrator | second line\n');
  });
});
