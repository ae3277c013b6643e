/** A harness around a real n8n (2.41.1, or 1.123.81 with N8N_VERSION): provision, install the packed package, run, drive over REST. */
export * from './version';
export * from './provision';
export * from './install';
export * from './process';
export * from './rest';
export * from './sink';
export * from './http';
export * from './flatted';
export * from './workflows';
export * from './stack';
export * from './proxy';
export * from './queueServices';
export * from './queueStack';
