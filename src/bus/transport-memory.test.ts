import { MemoryTransport } from './memory/memory-transport.js';
import { describeTransport } from './transport.case.js';

// The in-process transport on the suite's virtual clock: everything happens synchronously, so
// there is nothing to settle.
describeTransport({
  name: 'memory',
  create: (deps) => new MemoryTransport(deps),
  settle: () => Promise.resolve(),
  lease: 100,
});
