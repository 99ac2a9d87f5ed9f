/**
 * Progress of running imports, by the caller's `importId`, for `GET /api/imports/:importId`. Kept in
 * memory (an import is one request on one server); an entry is forgotten 10 minutes after its
 * last change.
 */

import type { ImportProgress } from '../../core/import-report.js';

export type { ImportProgress };

export const PROGRESS_TTL_MS = 10 * 60 * 1000;

/** Letters, digits, "-" and "_": a UUID or a client's own counter. */
export const IMPORT_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface Entry {
  progress: ImportProgress;
  touched: number;
}

export class ProgressBoard {
  private entries = new Map<string, Entry>();

  constructor(private now: () => number = Date.now) {}

  /** Starts tracking; false when an import with this id is still running. */
  start(importId: string): ImportProgress | undefined {
    this.sweep();
    const old = this.entries.get(importId);
    if (old && old.progress.phase !== 'done' && old.progress.phase !== 'failed') return undefined;
    const progress: ImportProgress = { importId, phase: 'receiving', bytesReceived: 0, rowsRead: 0, rowsWritten: 0 };
    this.entries.set(importId, { progress, touched: this.now() });
    return progress;
  }

  /** Updates a tracked import (the object start() returned). */
  update(progress: ImportProgress, change: Partial<Omit<ImportProgress, 'importId'>>): void {
    Object.assign(progress, change);
    const e = this.entries.get(progress.importId);
    if (e?.progress === progress) e.touched = this.now();
  }

  get(importId: string): ImportProgress | undefined {
    this.sweep();
    const e = this.entries.get(importId);
    return e && { ...e.progress };
  }

  private sweep(): void {
    const cutoff = this.now() - PROGRESS_TTL_MS;
    for (const [id, e] of this.entries) if (e.touched < cutoff) this.entries.delete(id);
  }
}
