import { EmulatorHttpError } from '../mtn-errors';

/** Admin API errors: `{"error": "..."}`, unlike MTN's families, so they are never confused. */
export function adminError(message: string, status = 400): EmulatorHttpError {
  return new EmulatorHttpError(status, { error: message });
}

/** Parsers of admin input throw plain Errors; they become 400s here. */
export function asAdminInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof EmulatorHttpError) throw error;
    throw adminError(error instanceof Error ? error.message : String(error));
  }
}
