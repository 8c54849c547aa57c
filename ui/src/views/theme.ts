import { useSignal, useSignalEffect } from '@preact/signals';
import { html } from './html.js';

export type Theme = 'system' | 'light' | 'dark';
const KEY = 'orchestrator.theme';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

export function storedTheme(): Theme {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Sets the theme on <html>: "system" follows prefers-color-scheme (CSS variables alone do the rest). */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function ThemeToggle() {
  const theme = useSignal<Theme>(storedTheme());
  useSignalEffect(() => {
    applyTheme(theme.value);
    if (theme.value === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme.value);
  });
  return html`<button aria-label="theme" title="theme: system, light or dark" onClick=${() => (theme.value = NEXT[theme.value])}>theme: ${theme.value}</button>`;
}
