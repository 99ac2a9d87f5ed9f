/**
 * Progress of running imports, by the caller's `importId`, for `GET /api/imports/:importId`: kept in
 * memory by the server running the import and mirrored to the database for the others; an entry is
 * forgotten 10 minutes after its last change. An import left unfinished by a server that died is
 * marked failed (`interrupted`) when a server starts and whenever it is asked about.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ImportFailure, ImportProgress } from '../../core/import-report.js';
import { claimImport, failImport, loadImport, saveProgress, unfinishedImports, type Db, type ImportOwner, type StoredImport } from '../store/index.js';

export type { ImportFailure, ImportProgress };

export const PROGRESS_TTL_MS = 10 * 60 * 1000;
/** A running import's row is rewritten this often even when no row was read meanwhile… */
export const HEARTBEAT_MS = 15_000;
/** …so that one untouched this long, run by a server on another host, is taken for dead. */
export const ORPHAN_MS = 4 * HEARTBEAT_MS;

/** This server process. */
export const SELF: ImportOwner = { host: os.hostname(), pid: process.pid, boot: randomUUID() };

/**
 * Whether the server that ran an import is gone: on this host the operating system says whether
 * its pid lives (a pid equal to ours with another start id is a previous run of this one); a server
 * on another host is gone when its heartbeat stopped (ORPHAN_MS).
 */
export function ownerGone(owner: ImportOwner | null, ageMs: number, self: ImportOwner = SELF): boolean {
  if (owner?.host === self.host) {
    if (owner.pid === self.pid) return owner.boot !== self.boot;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return ageMs > ORPHAN_MS;
}

/** What an interrupted import answers: the server stopped while it ran, so nothing was written (one transaction). */
export const INTERRUPTED: ImportFailure = {
  status: 500,
  error: { code: 'interrupted', message: 'The server running this import stopped before it ended; nothing of it was written: start the import again.' },
};

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
  /** Claimed imports not yet ended, rewritten every HEARTBEAT_MS. */
  private running = new Set<ImportProgress>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private db: Db,
    private board = new ProgressBoard(),
    private self: ImportOwner = SELF,
  ) {}

  /** Marks failed every import whose server is gone (at start-up: the ones a crash left 'running'). */
  async recover(): Promise<number> {
    let n = 0;
    for (const row of await unfinishedImports(this.db)) if (await this.failOrphan(row)) n++;
    return n;
  }

  private async failOrphan(row: StoredImport): Promise<ImportProgress | undefined> {
    if (!ownerGone(row.owner, row.ageMs, this.self)) return undefined;
    const failed: ImportProgress = { ...row.progress, phase: 'failed', error: INTERRUPTED.error.message, failure: INTERRUPTED };
    return (await failImport(this.db, failed)) ? failed : undefined;
  }

  start(importId: string): ImportProgress | undefined {
    return this.board.start(importId);
  }

  /** Claims the id across servers; false (and the local entry ended) while another server runs it. */
  async claim(progress: ImportProgress): Promise<boolean> {
    if (!(await claimImport(this.db, { ...progress }, PROGRESS_TTL_MS, this.self))) {
      this.board.update(progress, { phase: 'failed' });
      return false;
    }
    this.claimed.add(progress);
    this.running.add(progress);
    this.heartbeat ??= setInterval(() => {
      for (const p of this.running) this.save(p);
    }, HEARTBEAT_MS).unref();
    return true;
  }

  update(progress: ImportProgress, change: Partial<Omit<ImportProgress, 'importId'>>): void {
    this.board.update(progress, change);
    if (progress.phase === 'done' || progress.phase === 'failed') this.ended(progress);
    if (this.claimed.has(progress)) this.save(progress);
  }

  private ended(progress: ImportProgress): void {
    this.running.delete(progress);
    if (this.running.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  async get(importId: string): Promise<ImportProgress | undefined> {
    const local = this.board.get(importId);
    if (local) return local;
    const row = await loadImport(this.db, importId, PROGRESS_TTL_MS);
    if (!row || row.progress.phase === 'done' || row.progress.phase === 'failed') return row?.progress;
    const failed = await this.failOrphan(row);
    if (failed) return failed;
    // Still running, or ended meanwhile by another caller (start-up's recovery runs beside the first requests): as stored now.
    return (await loadImport(this.db, importId, PROGRESS_TTL_MS))?.progress ?? row.progress;
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
