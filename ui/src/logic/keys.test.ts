import { describe, expect, it } from 'vitest';
import { keyAction } from './keys.js';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('keyAction', () => {
  it.each([
    ['j', { type: 'move', by: 1 }],
    ['k', { type: 'move', by: -1 }],
    ['/', { type: 'focus-filter' }],
    ['f', { type: 'toggle-follow' }],
    ['r', { type: 'restart' }],
    ['+', { type: 'scale', by: 1 }],
    ['-', { type: 'scale', by: -1 }],
    ['?', { type: 'help' }],
    ['Escape', { type: 'clear' }],
  ])('%s', (k, action) => {
    expect(keyAction(key(k), false)).toEqual(action);
  });

  it('nothing but Escape fires in a text field or with a modifier', () => {
    expect(keyAction(key('r'), true)).toBeNull();
    expect(keyAction(key('/'), true)).toBeNull();
    expect(keyAction(key('Escape'), true)).toEqual({ type: 'clear' });
    expect(keyAction(key('r', { ctrlKey: true }), false)).toBeNull();
    expect(keyAction(key('x'), false)).toBeNull();
  });
});
