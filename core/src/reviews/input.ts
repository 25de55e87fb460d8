import { ValidationError, type FieldIssue } from '../errors';
import { REVIEW_BODY_MAX, REVIEW_TITLE_MAX, type Rating, type ReviewInput } from './types';

/**
 * Checks of what people write, in the service as well as at the API (the service is also called by
 * scripts and tests). Field names are the API's (`body.*`) so an error reads the same either way.
 */

/** Trims and checks a review; every bad field is named at once. */
export function checkReviewInput(input: ReviewInput) {
  const issues: FieldIssue[] = [];
  const orderId = typeof input.orderId === 'string' ? input.orderId.trim() : '';
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (!orderId) issues.push({ field: 'body.orderId', message: 'required' });
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
    issues.push({ field: 'body.rating', message: 'a whole number of stars from 1 to 5' });
  if (!title) issues.push({ field: 'body.title', message: 'required' });
  else if (title.length > REVIEW_TITLE_MAX)
    issues.push({ field: 'body.title', message: `at most ${REVIEW_TITLE_MAX} characters` });
  if (body.length > REVIEW_BODY_MAX)
    issues.push({ field: 'body.body', message: `at most ${REVIEW_BODY_MAX} characters` });
  if (issues.length) throw new ValidationError(issues);
  return { orderId, rating: input.rating as Rating, title, body };
}

/** A required text of at most `max` characters, trimmed. */
export function checkText(field: string, value: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new ValidationError([{ field, message: 'required' }]);
  if (text.length > max) throw new ValidationError([{ field, message: `at most ${max} characters` }]);
  return text;
}
