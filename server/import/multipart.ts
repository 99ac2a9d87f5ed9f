/**
 * Receives an import upload into a temporary file under os.tmpdir(): a `multipart/form-data` body
 * with the file in the part named "file" (parsed by busboy; other parts are parameters), or the
 * raw body as the file. Never buffered whole in memory; the caller removes the file with
 * `dispose()`, also when the import fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { ApiError, badRequest } from '../errors.js';

export interface Received {
  path: string;
  filename?: string;
  contentType?: string;
  size: number;
  /** Form fields of a multipart body. */
  fields: Record<string, string>;
  dispose(): Promise<void>;
}

export interface ReceiveOptions {
  limitBytes: number;
  /** Called as body bytes arrive, with the total so far. */
  onBytes?: (total: number) => void;
  /** Called for each form field as it arrives, before the file part ends. */
  onField?: (name: string, value: string) => void;
}

const tooLarge = (limitBytes: number): ApiError =>
  new ApiError(
    413,
    'too_large',
    `The file is larger than the ${Math.round(limitBytes / 1024 / 1024)} MB import limit: split it into several files and import them with mode=append.`,
  );

/** Upload folders are named for the process that owns them, so a restart can find its dead ones. */
const UPLOAD_PREFIX = 'onemap-import-';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes upload folders left by a server that crashed or was killed mid-import (their process is
 * gone); folders of running servers on the same machine are kept. Returns how many were removed.
 */
export async function removeStaleUploads(tmp = os.tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await fs.promises.readdir(tmp)) {
    const m = new RegExp(`^${UPLOAD_PREFIX}(\\d+)-`).exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await fs.promises.rm(path.join(tmp, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

export async function receiveUpload(req: Request, opts: ReceiveOptions): Promise<Received> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${UPLOAD_PREFIX}${process.pid}-`));
  const file = path.join(dir, 'upload');
  const dispose = (): Promise<void> => fs.promises.rm(dir, { recursive: true, force: true });
  try {
    const received = req.is('multipart/form-data') ? await multipart(req, file, opts) : await raw(req, file, opts);
    return { ...received, path: file, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function raw(req: Request, file: string, opts: ReceiveOptions): Promise<Omit<Received, 'path' | 'dispose'>> {
  const contentType = req.get('content-type');
  // The app's JSON parser has already read an application/json body (up to its 1 MB limit).
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) && req.readableEnded) {
    const text = Object.keys(req.body).length ? JSON.stringify(req.body) : '';
    await fs.promises.writeFile(file, text);
    return { contentType, size: Buffer.byteLength(text), fields: {} };
  }
  let size = 0;
  let over = false;
  const out = fs.createWriteStream(file);
  await pipeline(req, async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length;
      opts.onBytes?.(size);
      if (size > opts.limitBytes) over = true;
      // Past the limit the rest is read and dropped, so the client gets the 413 rather than a reset.
      if (!over) yield chunk;
    }
  }, out);
  if (over) throw tooLarge(opts.limitBytes);
  return { contentType, size, fields: {} };
}

function multipart(req: Request, file: string, opts: ReceiveOptions): Promise<Omit<Received, 'path' | 'dispose'>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let filePart: { filename?: string; contentType?: string } | undefined;
    let written: Promise<number> | undefined;
    let truncated = false;
    let failure: Error | undefined;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: opts.limitBytes, files: 1, fields: 20, fieldSize: 4096 } });
    } catch (err) {
      reject(badRequest('file', `Cannot read the multipart body: ${(err as Error).message}.`));
      return;
    }
    bb.on('field', (name, value) => {
      fields[name] = value;
      opts.onField?.(name, value);
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || filePart) {
        failure ??= badRequest('file', `Unexpected file part "${name}": send one file, in the part named "file" (e.g. curl -F file=@shelters.csv).`);
        stream.resume();
        return;
      }
      filePart = { filename: info.filename, contentType: info.mimeType };
      stream.on('limit', () => (truncated = true));
      let size = 0;
      stream.on('data', (c: Buffer) => (size += c.length));
      written = pipeline(stream, fs.createWriteStream(file)).then(() => size);
    });
    bb.on('filesLimit', () => (failure ??= badRequest('file', 'Send one file per import, in the part named "file".')));
    bb.on('error', (err) => reject(badRequest('file', `Cannot read the multipart body: ${(err as Error).message}.`)));
    bb.on('close', () => {
      void (async () => {
        const size = written ? await written : 0;
        if (truncated) throw tooLarge(opts.limitBytes);
        if (failure) throw failure;
        if (!filePart) throw badRequest('file', `No part named "file" in the multipart body (parts: ${Object.keys(fields).join(', ') || 'none'}): send the file as e.g. curl -F file=@shelters.csv.`);
        if (size === 0) throw badRequest('file', `The file part "${filePart.filename ?? 'file'}" is empty (0 bytes): choose the file again; it may not have been saved or synced yet.`);
        resolve({ ...filePart, size, fields });
      })().catch(reject);
    });
    let total = 0;
    req.on('data', (chunk: Buffer) => opts.onBytes?.((total += chunk.length)));
    req.pipe(bb);
  });
}
