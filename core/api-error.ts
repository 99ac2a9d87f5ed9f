/**
 * An API error as the server sends it and the client receives it: the JSON body
 * `{ error: { code, message, parameter?, params? } }` with its HTTP status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request parameter at fault, for 400 bad_parameter. */
    readonly parameter?: string,
    /** Values the client puts into its own (zh/en) text for `code`. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}
