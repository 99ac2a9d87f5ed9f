/**
 * What a worker task sends back: its answer, or the fields of the ApiError it threw (a thrown
 * class does not survive the thread boundary), made an ApiError again on the main thread.
 */
import { ApiError } from '../../core/api-error.js';

export type Outcome<T = unknown> = { answer: T } | { error: { status: number; code: string; message: string; parameter?: string; params?: Record<string, string | number> } };

/** Runs `work` in the worker: its answer, or its ApiError as fields; any other error is thrown on. */
export async function outcomeOf<T>(work: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { answer: await work() };
  } catch (err) {
    if (err instanceof ApiError) return { error: { status: err.status, code: err.code, message: err.message, parameter: err.parameter, params: err.params } };
    throw err;
  }
}

/** The answer, or the worker's ApiError thrown again here. */
export function answerOf<T>(outcome: Outcome<T>): T {
  if ('error' in outcome) {
    const e = outcome.error;
    throw new ApiError(e.status, e.code, e.message, e.parameter, e.params);
  }
  return outcome.answer;
}
