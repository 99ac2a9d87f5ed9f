/**
 * A one-page PDF holding one JPEG image (the report drawn on a canvas), written by hand: the
 * image goes in as is (DCTDecode, ISO 32000-1 §7.4.8), so the PDF needs no fonts — Chinese text is
 * already pixels — and no library. The page is A4 landscape; the image is fitted inside the margin
 * keeping its aspect ratio. Pure (bytes in, bytes out): usable in the browser and in Node tests.
 */

/** A4 in PDF points (1/72 inch): 297 × 210 mm. */
export const A4_LANDSCAPE = { width: 841.89, height: 595.28 } as const;

export interface JpegInfo {
  width: number;
  height: number;
  /** 1 = greyscale, 3 = YCbCr/RGB. */
  components: number;
}

/**
 * Width, height and components from the JPEG's start-of-frame segment (any SOFn: baseline,
 * progressive, …). Throws saying what is wrong when the bytes are not a JPEG.
 */
export function jpegInfo(bytes: Uint8Array): JpegInfo {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('Not a JPEG: it does not start with the SOI marker FF D8. Pass canvas.toBlob(…, "image/jpeg") bytes.');
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) throw new Error(`Corrupt JPEG: expected a marker at byte ${i}, found 0x${bytes[i].toString(16)}.`);
    const marker = bytes[i + 1];
    // Fill bytes and stand-alone markers (TEM, RSTn) carry no length.
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 >= bytes.length) break;
      const height = (bytes[i + 5] << 8) | bytes[i + 6];
      const width = (bytes[i + 7] << 8) | bytes[i + 8];
      const components = bytes[i + 9];
      if (width === 0 || height === 0) throw new Error(`JPEG frame at byte ${i} declares a size of ${width} × ${height}.`);
      if (components !== 1 && components !== 3) throw new Error(`JPEG with ${components} colour components: only greyscale (1) and colour (3) images are supported.`);
      return { width, height, components };
    }
    if (marker === 0xda || marker === 0xd9) break;
    i += 2 + length;
  }
  throw new Error('Corrupt JPEG: no start-of-frame (SOFn) segment before the image data; the file is truncated or not a JPEG.');
}

/** A PDF text string: ASCII as a literal, anything else as UTF-16BE hex with a byte-order mark (§7.9.2.2). */
function pdfString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let k = 0; k < s.length; k++) hex += s.charCodeAt(k).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** D:YYYYMMDDHHmmSSZ (§7.9.4), in UTC. */
function pdfDate(d: Date): string {
  const p = (x: number) => String(x).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

const num = (x: number) => String(Math.round(x * 100) / 100);

export interface PdfOptions {
  title?: string;
  /** Creation date in the document information (default: now). */
  date?: Date;
  /** Margin around the image, points (default 18 = ¼ inch). */
  margin?: number;
}

/** The one-page A4 landscape PDF showing the JPEG. */
export function jpegPdf(jpeg: Uint8Array, options: PdfOptions = {}): Uint8Array<ArrayBuffer> {
  const info = jpegInfo(jpeg);
  const { width: pw, height: ph } = A4_LANDSCAPE;
  const margin = options.margin ?? 18;
  const scale = Math.min((pw - 2 * margin) / info.width, (ph - 2 * margin) / info.height);
  const w = info.width * scale;
  const h = info.height * scale;
  const content = `q ${num(w)} 0 0 ${num(h)} ${num((pw - w) / 2)} ${num((ph - h) / 2)} cm /Im0 Do Q\n`;

  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let length = 0;
  const offsets: number[] = [];
  const put = (chunk: string | Uint8Array) => {
    // Every string written is ASCII (non-ASCII text goes in as hex), so UTF-8 is byte for byte.
    const bytes = typeof chunk === 'string' ? enc.encode(chunk) : chunk;
    parts.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, body: string) => {
    offsets[n] = length;
    put(`${n} 0 obj\n${body}\nendobj\n`);
  };

  // The binary comment line tells transfer tools the file is binary (§7.5.2).
  put('%PDF-1.4\n%');
  put(new Uint8Array([0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pw} ${ph}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`);
  offsets[4] = length;
  put(
    `4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace /${info.components === 1 ? 'DeviceGray' : 'DeviceRGB'} ` +
      `/BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
  );
  put(jpeg);
  put('\nendstream\nendobj\n');
  object(5, `<< /Length ${enc.encode(content).length} >>\nstream\n${content}endstream`);
  object(6, `<< /Title ${pdfString(options.title ?? '')} /Producer (Emergency OneMap) /CreationDate (${pdfDate(options.date ?? new Date())}) >>`);

  const xref = length;
  const size = offsets.length;
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, and a two-byte end of line (§7.5.4).
  put(`xref\n0 ${size}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
  put(`trailer\n<< /Size ${size} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);

  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
