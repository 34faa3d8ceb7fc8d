/**
 * One error family with stable codes. The error handler maps every error to
 * `{ statusCode, code, message, reqId }` (plus `field` for input errors); 5xx hide internals.
 */
export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  invalidField: (field: string, message: string) => new AppError(400, 'INVALID_FIELD', `${field}: ${message}`, { field }),
  unknownCategory: (field: string) => new AppError(400, 'UNKNOWN_CATEGORY', `${field}: no active category with this id`, { field }),
  unknownArea: (field: string, why: string) => new AppError(400, 'UNKNOWN_AREA', `${field}: ${why}`, { field }),
  unknownUnit: (field: string) => new AppError(400, 'UNKNOWN_UNIT', `${field}: no org unit with this id`, { field }),
  unitNotFound: () => new AppError(404, 'UNIT_NOT_FOUND', 'No org unit with this id that you may see'),
  petitionNotFound: () => new AppError(404, 'PETITION_NOT_FOUND', 'No petition with this id or tracking number'),
  commandNotFound: () => new AppError(404, 'COMMAND_NOT_FOUND', 'No command with this id'),
  idempotencyKeyReused: () => new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key'),
  transitionRejected: (code: string, reason: string, state: string) => new AppError(409, code, reason, { state }),
  badActor: (message: string) => new AppError(400, 'INVALID_ACTOR', message),
  roleNotAllowed: (command: string, roles: readonly string[]) =>
    new AppError(403, 'ROLE_NOT_ALLOWED', `${command} may be sent only by: ${roles.join(', ')}`),
  /** The same refusal for an action that is not a command (reading or changing settings, accounts, keys). */
  actionNotAllowed: (what: string, roles: readonly string[]) =>
    new AppError(403, 'ROLE_NOT_ALLOWED', `${what} is allowed only for: ${roles.join(', ')}`),
};
