/**
 * Paths pino removes from every log line. Secrets travel in these headers and fields; a log line
 * must never carry one (a test captures logs and checks).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["ocp-apim-subscription-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["ocp-apim-subscription-key"]',
  '*.apiKey',
  '*.api_key',
  '*.subscriptionKey',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.password',
  '*.secret',
];
