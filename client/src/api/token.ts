/** The commander's bearer token: kept in localStorage, observable by React through useToken(). */
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'onemap.token';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

let current = read();

export const getToken = (): string | null => current;

export function setToken(token: string | null): void {
  current = token && token.trim() ? token.trim() : null;
  try {
    if (current) localStorage.setItem(STORAGE_KEY, current);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the token lasts for this page only.
  }
  for (const l of listeners) l();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useToken = (): string | null => useSyncExternalStore(subscribe, getToken);
