/** Text encoding of an uploaded file: UTF-8 (with or without BOM) when it decodes as UTF-8, else GB18030. In memory or streamed from disk. */
import fs from 'node:fs';
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export interface Decoded {
  text: string;
  encoding: Encoding;
}

/**
 * Valid UTF-8 is taken as UTF-8: a GBK file of Chinese text is almost never valid UTF-8 by chance
 * (its lead bytes 0x81–0xFE are followed by bytes UTF-8 forbids). Everything else is read as
 * GB18030, the superset of GB2312 and GBK that Excel's "CSV" writes on Chinese Windows, and which
 * also holds 生僻字 outside GBK (e.g. 𠮷 as a four-byte sequence).
 */
export function decode(bytes: Uint8Array): Decoded {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? bytes.subarray(3) : bytes);
    return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'), encoding: 'gb18030' };
  }
}

/**
 * The encoding of a file on disk by the same rule as decode(): the whole file is checked as UTF-8
 * (a stream, in about 1 ms per MB, cheap next to importing it), since a GBK byte may come late.
 */
export async function fileEncoding(path: string): Promise<Encoding> {
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let bom: boolean | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bom ??= chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      utf8.decode(chunk, { stream: true });
    }
    utf8.decode();
  } catch {
    stream.destroy();
    return 'gb18030';
  }
  return bom ? 'utf-8-bom' : 'utf-8';
}

/** The file's text, chunk by chunk, in `encoding` (a UTF-8 BOM is dropped). */
export async function* textChunks(path: string, encoding: Encoding): AsyncGenerator<string> {
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer> & fs.ReadStream;
  try {
    if (encoding === 'gb18030') {
      const gb = iconv.getDecoder('gb18030');
      for await (const chunk of stream) yield gb.write(chunk);
      const rest = gb.end();
      if (rest) yield rest;
    } else {
      const utf8 = new TextDecoder('utf-8');
      for await (const chunk of stream) yield utf8.decode(chunk, { stream: true });
      yield utf8.decode();
    }
  } finally {
    stream.destroy();
  }
}
