/**
 * An API error as the server sends it and the client receives it: the JSON body
 * `{ error: { code, message, parameter? } }` with its HTTP status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request parameter at fault, for 400 bad_parameter. */
    readonly parameter?: string,
  ) {
    super(message);
  }
}
