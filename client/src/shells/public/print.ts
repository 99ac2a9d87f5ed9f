/**
 * The printable A4 notice for a neighbourhood (print CSS in styles.css shows only it): title, the
 * map as drawn, the nearest open shelters with walking times, and a QR code of the link. Loaded,
 * with the QR encoder, only when someone prints.
 */
import QRCode from 'qrcode';
import { h } from './dom';

export interface Notice {
  title: string;
  asOf: string;
  demo?: string;
  image: string;
  url: string;
  scan: string;
  rows: { n: number; name: string; walk: string; note: string }[];
}

export async function printNotice(box: HTMLElement, n: Notice): Promise<void> {
  const qr = await QRCode.toDataURL(n.url, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
  box.replaceChildren(
    h('h1', {}, n.title),
    h('p', { class: 'as-of' }, n.asOf, n.demo ? ` · ${n.demo}` : ''),
    h('img', { class: 'print-map', src: n.image, alt: '' }),
    h('ol', {}, n.rows.slice(0, 6).map((r) => h('li', {}, h('strong', {}, r.name), ' — ', r.walk, r.note ? h('span', { class: 'note' }, ` · ${r.note}`) : null))),
    h('figure', { class: 'qr' }, h('img', { src: qr, alt: '', width: '120', height: '120' }), h('figcaption', {}, n.scan, h('br'), n.url)),
  );
  // The images must be decoded before the print dialog snapshots the page.
  await Promise.all([...box.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)));
}
