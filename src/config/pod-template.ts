import { POD_VARIABLES, type PodText, type PodVariable } from './types.js';

/**
 * Between expansion and resolution, a kept per-pod variable is one Unicode noncharacter
 * (U+FDD0 + its index in POD_VARIABLES), so the schema, the command splitter and path.resolve
 * treat it as an ordinary character. Resolution turns such strings into typed PodTemplates; the
 * encoding never leaves src/config. Input containing these noncharacters is rejected.
 */
const BASE = 0xfdd0;
const MARKS = new RegExp(`[\\u{${BASE.toString(16)}}-\\u{${(BASE + POD_VARIABLES.length - 1).toString(16)}}]`, 'u');
const MARKS_ALL = new RegExp(MARKS.source, 'gu');

export function isPodVariable(name: string): name is PodVariable {
  return (POD_VARIABLES as readonly string[]).includes(name);
}

export function encodePodVariable(name: PodVariable): string {
  return String.fromCharCode(BASE + POD_VARIABLES.indexOf(name));
}

export function hasPodVariables(text: string): boolean {
  return MARKS.test(text);
}

/** An encoded string as a PodText: plain when it has no variable. */
export function toPodText(text: string): PodText {
  if (!hasPodVariables(text)) return text;
  const parts: (string | { variable: PodVariable })[] = [];
  let literal = '';
  for (const ch of text) {
    const variable = POD_VARIABLES[ch.charCodeAt(0) - BASE];
    if (ch.length === 1 && variable !== undefined) {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push({ variable });
    } else literal += ch;
  }
  if (literal !== '') parts.push(literal);
  return { parts };
}

/** How a PodText was written: `data/${ORCHESTRATOR_POD}` (for summaries and messages). */
export function podTextSource(text: PodText): string {
  if (typeof text === 'string') return text;
  return text.parts.map((part) => (typeof part === 'string' ? part : `\${${part.variable}}`)).join('');
}

/** Encoded text shown as written, for error messages. */
export function showPodVariables(text: string): string {
  return text.replace(MARKS_ALL, (ch) => `\${${POD_VARIABLES[ch.charCodeAt(0) - BASE] ?? ''}}`);
}

/** Plausible values, so validation (a URL, host:port) can check what a pod would get. */
const SAMPLE: Readonly<Record<PodVariable, string>> = {
  ORCHESTRATOR_TASK: 'task',
  ORCHESTRATOR_POD: 'task-0',
  ORCHESTRATOR_REPLICA: '0',
  ORCHESTRATOR_POD_ID: '00000000-0000-4000-8000-000000000000',
};

/** Encoded text with the variables of replica 0 filled in. */
export function samplePodText(text: string): string {
  return text.replace(MARKS_ALL, (ch) => SAMPLE[POD_VARIABLES[ch.charCodeAt(0) - BASE] ?? 'ORCHESTRATOR_TASK']);
}
