/**
 * Typed errors. Services throw these; exactly one HTTP middleware maps them to responses, so no service
 * ever picks a status code. `expose` says whether the message is safe to show to the caller.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.variants.0.price` or `query.limit`. */
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly expose: boolean = true;
  constructor(
    message: string,
    readonly details: { fields?: FieldIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  readonly code = 'bad_request';
  readonly status = 400;
}

export class ValidationError extends AppError {
  readonly code = 'validation_failed';
  readonly status = 422;
  constructor(fields: FieldIssue[], message = 'Some fields are invalid') {
    super(message, { fields });
  }
}

export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  readonly status = 401;
  constructor(message = 'Log in to continue') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly status = 403;
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

export class CsrfError extends AppError {
  readonly code = 'csrf_invalid';
  readonly status = 403;
  constructor() {
    super('Missing or wrong CSRF token; reload the page and try again');
  }
}

/** A write from another site: its `Origin` (or `Sec-Fetch-Site`) is not this app's, CSRF token or not. */
export class ForeignOriginError extends AppError {
  readonly code = 'foreign_origin';
  readonly status = 403;
  constructor(origin: string) {
    super(`Requests from ${origin} may not change anything here`);
  }
}

/** The right password for an account that an admin blocked. */
export class AccountBlockedError extends AppError {
  readonly code = 'account_blocked';
  readonly status = 403;
  constructor() {
    super('This account is blocked; contact support');
  }
}

/** Re-authentication failed: the current password given with a sensitive change is wrong. */
export class WrongPasswordError extends AppError {
  readonly code = 'wrong_password';
  readonly status = 403;
  constructor(field: string) {
    super('The current password is wrong', { fields: [{ field, message: 'wrong password' }] });
  }
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class ConflictError extends AppError {
  readonly code = 'conflict';
  readonly status = 409;
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
  constructor(message: string) {
    super(message, { fields: [{ field: 'body', message }] });
  }
}

export class TooManyRequestsError extends AppError {
  readonly code = 'too_many_requests';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/**
 * A dependency this request needs (the document store) is unreachable right now. Answered at once with
 * 503 and `Retry-After`, so clients and load balancers back off instead of waiting on a timeout.
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'service_unavailable';
  readonly status = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** The driver's errors that mean "no server to talk to", as opposed to a query that failed or was slow. */
const STORE_UNREACHABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * Whether `err` says the document store could not be reached (server selection gave up, the
 * connection dropped, the pool was cleared after a network error) rather than that a query failed.
 */
export function isStoreUnreachableError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && STORE_UNREACHABLE_ERRORS.has(name)) return true;
    if (e instanceof ServiceUnavailableError) return true;
    // mongoose, while its connection is closed or being reopened (bufferCommands is off).
    if (
      typeof message === 'string' &&
      /initial connection is complete|Connection was force closed/.test(message)
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** MongoDB's duplicate-key error (E11000), raised by every unique-index insert race we rely on. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * SQLite under FerretDB answers "database is locked" when a write waited longer than its busy timeout,
 * which heavy write bursts can cause. The statement did not apply; the step can simply run again.
 */
export function isTransientStoreError(err: unknown): boolean {
  return err instanceof Error && /database is locked|SQLITE_BUSY/.test(err.message);
}
