/**
 * Text a person could have typed: no NUL and no C0/C1 control characters other than tab, line
 * feed and carriage return. PostgreSQL refuses NUL in text outright, and the others are never data
 * in this field; both are rejected as bad input rather than failing deep in the store.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** The first control character's position in `s`, or -1. */
export function controlCharacterAt(s: string): number {
  const m = CONTROL.exec(s);
  return m ? m.index : -1;
}

/** "U+0000 at character 4" — for messages that say where the bad character is. */
export function describeControlCharacter(s: string): string | undefined {
  const i = controlCharacterAt(s);
  if (i < 0) return undefined;
  return `control character U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at character ${i + 1}`;
}
