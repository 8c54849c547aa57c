import { describe, expect, test } from 'vitest';
import { splitCommand } from './split-command.js';

describe('splitCommand', () => {
  test.each([
    ['python3 worker.py --fast', ['python3', 'worker.py', '--fast']],
    ['  node   a.js  ', ['node', 'a.js']],
    [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
    [`echo 'it''s'`, ['echo', 'its']],
    [`echo "say \\"hi\\"" 'lit\\n'`, ['echo', 'say "hi"', 'lit\\n']],
    [`echo "a\\b"`, ['echo', 'a\\b']],
    ['echo a\\ b', ['echo', 'a b']],
    [`echo ""`, ['echo', '']],
    ['echo $HOME *', ['echo', '$HOME', '*']],
    ['a \\\n b', ['a', 'b']],
  ])('%j', (input, argv) => {
    expect(splitCommand(input)).toEqual({ ok: true, value: argv });
  });

  test('reports unterminated quotes, trailing backslashes and empty commands', () => {
    expect(splitCommand(`echo "oops`)).toEqual({ ok: false, error: 'unterminated double quote in command "echo \\"oops"' });
    expect(splitCommand(`echo 'oops`)).toEqual({ ok: false, error: `unterminated single quote in command "echo 'oops"` });
    expect(splitCommand('echo \\')).toEqual({ ok: false, error: 'trailing backslash in command "echo \\\\"' });
    expect(splitCommand('   ')).toEqual({ ok: false, error: 'command is empty' });
  });
});
