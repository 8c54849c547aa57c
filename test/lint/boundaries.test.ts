import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

/** The `no-restricted-imports` messages ESLint gives `code` as if it lived at `filePath` (nothing is written). */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message);
}

/** Each import is used, so no other rule has a reason to fire. */
const valueImport = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;
const typeImport = (from: string) => `import type { X } from '${from}';\nexport type Y = X;\n`;

describe('layer boundaries (eslint no-restricted-imports, project config)', () => {
  it.each([
    ['src/pod/x.ts', '../controller/restart-policy.js', 'pod/ never imports controller/'],
    ['src/protocol/x.ts', '../config/index.js', 'protocol/ is pure and imports only util/'],
    ['src/client/x.ts', '../config/types.js', 'client/ imports only protocol/ and util/'],
    ['src/util/x.ts', '../protocol/types.js', 'util/ imports nothing else in src/'],
    ['src/controller/x.ts', '../control/target.js', 'The domain never imports'],
    ['src/bus/x.ts', '../app/orchestrator.js', 'The domain never imports'],
    ['src/config/x.ts', '../app/errors.js', 'The domain never imports'],
    ['src/observe/x.ts', '../control/target.js', 'The domain never imports'],
    ['src/bus/routing/x.ts', '../../cli/printer.js', 'The domain never imports'],
    ['src/control/x.ts', '../cli/printer.js', 'Only src/cli/ imports from src/cli/'],
    ['src/app/x.ts', '../cli/printer.js', 'Only src/cli/ imports from src/cli/'],
    ['src/app/x.ts', '../bus/dispatcher/topic-dispatcher.js', 'Outside src/bus/ import only'],
    ['src/cli/x.ts', '../bus/routing/topic-broker.js', 'Outside src/bus/ import only'],
    ['src/control/x.ts', '../bus/memory/topic-tap.js', 'Outside src/bus/ import only'],
    ['src/pod/x.ts', '../testing/fake-spawner.js', 'src/testing/ is imported only by'],
    ['src/bus/nats/x.ts', '../../testing/fake-pod.js', 'src/testing/ is imported only by'],
    ['src/bus/memory/x.ts', '@nats-io/transport-node', 'Only src/bus/nats/ imports the NATS client'],
    ['src/app/x.ts', '@nats-io/jetstream', 'Only src/bus/nats/ imports the NATS client'],
    ['src/control/x.test.ts', '@nats-io/jetstream', 'Only src/bus/nats/ imports the NATS client'],
    ['src/control/x.ts', 'preact', 'src/ never imports UI code'],
    ['src/bus/nats/x.ts', '@preact/signals', 'src/ never imports UI code'],
    ['src/control/x.ts', '../../ui/src/main.js', 'src/ never imports the dashboard'],
    ['src/index.ts', '../ui/src/api/types.js', 'src/ never imports the dashboard'],
    ['test/e2e/x.test.ts', 'preact', 'Only ui/ imports UI libraries'],
  ])('%s importing %s: exactly one error, for a value import and for a type-only import', async (file, from, rule) => {
    for (const code of [valueImport(from), typeImport(from)]) {
      const errors = await boundaryErrors(file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(rule);
    }
  });

  it('ui/ takes types from src/, never code', async () => {
    const errors = async (code: string) => {
      const [result] = await eslint.lintText(code, { filePath: path.join(root, 'ui/src/api/x.ts') });
      return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' && m.severity === 2);
    };
    expect(await errors(typeImport('../../../src/control/api-types.js'))).toHaveLength(0);
    const value = await errors(valueImport('../../../src/control/http.js'));
    expect(value).toHaveLength(1);
    expect(value[0]?.message).toContain('ui/ takes only types from src/');
  });

  it('a re-export counts as an import', async () => {
    expect(await boundaryErrors('src/pod/x.ts', "export type { ExitInfo } from '../controller/restart-policy.js';\n")).toHaveLength(1);
  });

  it.each([
    ['src/pod/x.ts', '../config/types.js'],
    ['src/pod/x.ts', './exit.js'],
    ['src/controller/x.ts', '../pod/pod.js'],
    ['src/protocol/x.ts', '../util/errors.js'],
    ['src/protocol/x.test.ts', '../../test/fixtures/protocol/parse.js'],
    ['src/client/x.ts', '../protocol/topic.js'],
    ['src/config/x.ts', '../protocol/topic.js'],
    ['src/cli/commands/x.ts', '../printer.js'],
    ['src/cli/x.ts', '../control/target.js'],
    ['src/control/x.ts', '../observe/event-log.js'],
    ['src/app/x.ts', '../bus/pod-port.js'],
    ['src/app/x.ts', '../bus/bus.js'],
    ['src/observe/x.ts', '../bus/bus.js'],
    ['src/bus/x.ts', './dispatcher/in-flight.js'],
    ['src/bus/memory/x.ts', '../routing/topic-pattern.js'],
    ['src/pod/x.test.ts', '../testing/fake-spawner.js'],
    ['src/bus/dispatcher/x.case.ts', '../../testing/fake-pod.js'],
    ['src/bus/nats/x.ts', '@nats-io/transport-node'],
    ['src/bus/nats/x.test.ts', '@nats-io/jetstream'],
  ])('%s importing %s is allowed: no error', async (file, from) => {
    expect(await boundaryErrors(file, valueImport(from))).toEqual([]);
    expect(await boundaryErrors(file, typeImport(from))).toEqual([]);
  });
});
