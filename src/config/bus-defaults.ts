// Apart from the schema, so that a run (bus-settings) reads them without loading zod.

/** Project and instance names: they become parts of NATS subjects, stream and consumer names. */
export const BUS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export const BUS_DEFAULTS = {
  lease: '30s',
  storage: 'file',
  replicas: 1,
  publish_window: 1024,
  instance_ttl: '1h',
  connect_timeout: '5s',
} as const;
