/**
 * Keyboard shortcuts (Tilt, k9s and process-compose merged). None fires while an input has focus or
 * with a modifier held, so typing a filter never scales a task.
 */
export type KeyAction =
  | { readonly type: 'move'; readonly by: 1 | -1 }
  | { readonly type: 'focus-filter' }
  | { readonly type: 'toggle-follow' }
  | { readonly type: 'restart' }
  | { readonly type: 'scale'; readonly by: 1 | -1 }
  | { readonly type: 'stderr-only' }
  | { readonly type: 'copy' }
  | { readonly type: 'help' }
  | { readonly type: 'clear' };

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

export const KEY_HELP: readonly (readonly [string, string])[] = [
  ['j / k', 'move down / up through tasks and pods'],
  ['/', 'filter the logs (text, or /regex/)'],
  ['f', 'follow / pause the logs'],
  ['e', 'stderr only / all streams'],
  ['c', 'copy the visible log lines'],
  ['+ / -', 'scale the selected task up / down'],
  ['r', 'rolling restart of the selected task (asks first)'],
  ['Esc', 'clear the filter, close a dialog'],
  ['?', 'this help'],
];

export function keyAction(event: KeyLike, inEditable: boolean): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === 'Escape') return { type: 'clear' };
  if (inEditable) return null;
  switch (event.key) {
    case 'j':
    case 'ArrowDown':
      return { type: 'move', by: 1 };
    case 'k':
    case 'ArrowUp':
      return { type: 'move', by: -1 };
    case '/':
      return { type: 'focus-filter' };
    case 'f':
      return { type: 'toggle-follow' };
    case 'r':
      return { type: 'restart' };
    case '+':
    case '=':
      return { type: 'scale', by: 1 };
    case '-':
      return { type: 'scale', by: -1 };
    case 'e':
      return { type: 'stderr-only' };
    case 'c':
      return { type: 'copy' };
    case '?':
      return { type: 'help' };
    default:
      return null;
  }
}
