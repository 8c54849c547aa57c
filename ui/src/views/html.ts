/**
 * JSX-like templates without a compiler step. htm builds vnodes, so every interpolated value is a
 * text node or an attribute: untrusted text (log lines, payloads, names) is never parsed as HTML.
 */
import htm from 'htm';
import { h } from 'preact';

export const html = htm.bind(h);
