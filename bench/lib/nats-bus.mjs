// Shared by the NATS bus rows (bench/scenarios/*-nats-*.mjs): the skip message, the `[bus]` table
// of an instance (a fresh project per measurement, so one server never mixes two), and a
// measurement that is skipped without nats-server.
import { natsAvailable } from './harness.mjs';

export const NO_NATS = 'nats-server not found on PATH or in /usr/sbin: NATS bus rows skipped (apt-get install nats-server)';

let projects = 0;

/** A fresh project name for one measurement. */
export function newProject() {
  projects += 1;
  return `bench${process.pid}x${projects}`;
}

/** The `[bus]` table of one instance; `url` is one URL or a list (a cluster). */
export function busTable(url, instance, { project = newProject(), lease = '30s', storage = 'memory', replicas = 1 } = {}) {
  const urls = Array.isArray(url) ? `[${url.map((u) => JSON.stringify(u)).join(', ')}]` : JSON.stringify(url);
  return `[bus]\nurl = ${urls}\nproject = "${project}"\ninstance = "${instance}"\nstorage = "${storage}"\nlease = "${lease}"\nreplicas = ${replicas}\n\n`;
}

/** `{ fn }`, or `{ unavailable }` with the skip message when there is no nats-server. */
export function whenNats(fn) {
  return natsAvailable() === null ? { unavailable: NO_NATS } : { fn };
}

/** Writes the skip message once per scenario when there is no nats-server. */
export function noteNats() {
  if (natsAvailable() === null) process.stderr.write(`${NO_NATS}\n`);
}
