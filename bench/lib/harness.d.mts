// Types of the parts of harness.mjs the unit tests use (test/bench/).
export function cliPath(): string;
export function useCli(path: string): void;
