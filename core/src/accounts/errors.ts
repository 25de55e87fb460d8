import { AppError } from '../errors';

/** A reset or verification link that is unknown, used, or past its time: ask for a new one. */
export class InvalidLinkError extends AppError {
  readonly code = 'invalid_link';
  readonly status = 400;
  constructor(field = 'body.token') {
    super('This link is invalid, used or expired; ask for a new one', {
      fields: [{ field, message: 'invalid, used or expired' }],
    });
  }
}

/** A wrong, expired or locked SMS code. The same words for all three, so a guesser learns nothing. */
export class WrongCodeError extends AppError {
  readonly code = 'wrong_code';
  readonly status = 401;
  constructor(readonly locked: boolean) {
    super(
      locked
        ? 'Too many wrong codes; ask for a new one'
        : 'Wrong or expired code; check the message or ask for a new one',
      {
        fields: [{ field: 'body.code', message: locked ? 'locked after 5 wrong tries' : 'wrong or expired' }],
      },
    );
  }
}
