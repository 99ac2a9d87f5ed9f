/**
 * The shells, one per user, each a lazily loaded chunk: main.tsx loads only the one the URL
 * chooses (paths.ts). The public shelter finder is a page of its own (client/shelters/).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ShellId } from '../frame/oneMap';
import { shellOf } from './paths';

const SHELLS: Record<ShellId, LazyExoticComponent<ComponentType>> = {
  command: lazy(() => import('./command')),
  plan: lazy(() => import('./plan')),
  admin: lazy(() => import('./admin')),
};

export const shellFor = (pathname: string) => SHELLS[shellOf(pathname)];
