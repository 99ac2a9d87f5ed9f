/** Text encoding of an uploaded file: UTF-8 (with or without BOM) when it decodes as UTF-8, else GB18030. */
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
