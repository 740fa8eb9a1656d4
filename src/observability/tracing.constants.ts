/** The instrumentation scope of the gateway's own spans. */
export const TRACER_NAME = 'momo-gateway';
