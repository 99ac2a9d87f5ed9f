/** Which shell a URL opens: `/plan/…` the planner's, `/admin/…` the administrator's, anything else the one map. */
import type { ShellId } from '../frame/oneMap';

export const SHELL_PATHS: Record<ShellId, string> = { command: '/', plan: '/plan/', admin: '/admin/' };

export function shellOf(pathname: string): ShellId {
  if (/^\/plan(\/|$)/.test(pathname)) return 'plan';
  if (/^\/admin(\/|$)/.test(pathname)) return 'admin';
  return 'command';
}
