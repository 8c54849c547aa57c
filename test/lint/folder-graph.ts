/**
 * The folder-level import graph of src/, read from the TypeScript sources so that type-only
 * imports count (`madge --circular dist` reads emitted JS, where they are gone). Pure: callers
 * pass the files in.
 */
import * as path from 'node:path';

export interface SourceFile {
  /** Repository-relative, with forward slashes: `src/pod/pod.ts`. */
  readonly path: string;
  readonly text: string;
}

/** One import that crosses folders, kept as evidence for the report. */
export interface FolderEdge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly specifier: string;
}

/** `import … from`, `import type … from`, `export … from`, side-effect `import '…'` and `import('…')`. */
const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g;

export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] as string);
}

/** `src/pod/pod.ts` → `pod`; a file directly in src/ is its own node: `src/index.ts` → `index.ts`. */
export function folderOf(file: string): string | null {
  const parts = path.posix.normalize(file).split('/');
  if (parts[0] !== 'src' || parts.length < 2) return null;
  return parts[1] as string;
}

/** Resolves a relative specifier to the `.ts` source it names; bare (package) specifiers give null. */
function resolve(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts');
}

export function folderEdges(files: readonly SourceFile[]): FolderEdge[] {
  const edges: FolderEdge[] = [];
  for (const file of files) {
    const from = folderOf(file.path);
    if (from === null) continue;
    for (const specifier of importSpecifiers(file.text)) {
      const target = resolve(file.path, specifier);
      const to = target === null ? null : folderOf(target);
      if (to !== null && to !== from) edges.push({ from, to, file: file.path, specifier });
    }
  }
  return edges;
}

/** Every strongly connected set of two or more folders (Tarjan), each sorted, in sorted order. */
export function folderCycles(edges: readonly FolderEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    if (!next.has(e.to)) next.set(e.to, new Set());
    next.get(e.from)?.add(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** The imports that hold a cycle together, for a failure message a reader can act on. */
export function describeCycle(cycle: readonly string[], edges: readonly FolderEdge[]): string {
  const members = new Set(cycle);
  const lines = edges
    .filter((e) => members.has(e.from) && members.has(e.to))
    .map((e) => `  ${e.from} → ${e.to}: ${e.file} imports '${e.specifier}'`);
  return `folders ${cycle.join(', ')} import each other:\n${[...new Set(lines)].join('\n')}`;
}
