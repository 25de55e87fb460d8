export interface FieldProblem {
  field: string;
  message: string;
}

/** Any failed API call: an error body from the server, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
    /** Anything else the error body said, e.g. the `lines` a checkout refused. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * Field messages keyed by the path without its `body.`/`query.` prefix (`email`, `variants.0.price`),
   * which is how forms name their inputs.
   */
  fieldMessages(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const { field, message } of this.fields) {
      const key = field.replace(/^(body|query|params)\./, '');
      byField[key] ??= message;
    }
    return byField;
  }
}

/** The message to show for anything thrown by an API call. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
