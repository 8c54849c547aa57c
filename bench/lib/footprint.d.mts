// Types of the pure part of footprint.mjs for the unit tests (test/bench/).
export function cpuBetween(samples: [bigint, number][], fromNs: bigint, toNs: bigint): number;
