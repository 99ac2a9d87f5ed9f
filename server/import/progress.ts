/**
 * Progress of running imports, by the caller's `importId`, for `GET /api/imports/:importId`: kept in
 * memory by the server running the import and mirrored to the database for the others; an entry is
 * forgotten 10 minutes after its last change.
 */

import type { ImportProgress } from '../../core/import-report.js';
import { claimImport, loadProgress, saveProgress, type Db } from '../store/index.js';

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

/**
 * This server's board, mirrored to the database (server/store/progress.ts) so that behind a load
 * balancer any server answers for any import and an importId is claimed once across servers.
 * Writes go one at a time, each with the latest state, so a fast import never queues a backlog.
 */
export class ImportTracker {
  private writing = new Map<string, { pending: boolean }>();
  /** Imports this server has claimed in the database: only those are written there. */
  private claimed = new WeakSet<ImportProgress>();

  constructor(
    private db: Db,
    private board = new ProgressBoard(),
  ) {}

  start(importId: string): ImportProgress | undefined {
    return this.board.start(importId);
  }

  /** Claims the id across servers; false (and the local entry ended) while another server runs it. */
  async claim(progress: ImportProgress): Promise<boolean> {
    if (!(await claimImport(this.db, { ...progress }, PROGRESS_TTL_MS))) {
      this.board.update(progress, { phase: 'failed' });
      return false;
    }
    this.claimed.add(progress);
    return true;
  }

  update(progress: ImportProgress, change: Partial<Omit<ImportProgress, 'importId'>>): void {
    this.board.update(progress, change);
    if (this.claimed.has(progress)) this.save(progress);
  }

  async get(importId: string): Promise<ImportProgress | undefined> {
    return this.board.get(importId) ?? loadProgress(this.db, importId, PROGRESS_TTL_MS);
  }

  private save(progress: ImportProgress): void {
    const w = this.writing.get(progress.importId);
    if (w) {
      w.pending = true;
      return;
    }
    const state = { pending: false };
    this.writing.set(progress.importId, state);
    const write = (): void => {
      state.pending = false;
      // Progress is advisory: a failed write leaves the other servers one step behind, never the import.
      saveProgress(this.db, { ...progress })
        .catch(() => undefined)
        .then(() => (state.pending ? write() : this.writing.delete(progress.importId)));
    };
    write();
  }
}
