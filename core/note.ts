/**
 * A sentence the server means — a basis line, a solver note, a reason a row or a facility was
 * left out — sent as a code with parameters, never as prose, so the client can say it in zh-CN
 * or English (client/src/i18n/notes.ts renders it from the `note.<code>` messages).
 */
export interface Note {
  code: string;
  params?: Record<string, string | number>;
}

export const note = (code: string, params?: Note['params']): Note => (params ? { code, params } : { code });
