/**
 * Splits GeoJSON text, as it streams in, into the features of its top-level "features" array (one
 * JSON text each, parsed by the caller) and its other top-level members (type, crs, name…), so a
 * 50 MB FeatureCollection never has to be one string or one object tree. Only the structure is
 * tracked here (strings, nesting); each piece is checked by JSON.parse.
 */
import { note } from '../../core/note.js';
import { ReadError } from '../formats/source.js';

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

type Capture = 'key' | 'string' | 'container' | 'primitive';

export class GeojsonScanner {
  /** Top-level members other than "features", as parsed JSON. */
  readonly members: Record<string, unknown> = {};
  /** Whether a top-level "features" array was seen. */
  sawFeatures = false;

  private stack: number[] = [];
  private inString = false;
  private escape = false;
  /** At depth 1: what the top-level object expects next. */
  private expect: 'key' | 'colon' | 'value' | 'comma' = 'key';
  private key = '';
  private inFeatures = false;
  private capture: Capture | undefined;
  private captureDepth = 0;
  private captured = '';
  private out: string[] = [];
  private started = false;

  /** Feeds text; returns the feature texts completed in it. */
  push(text: string): string[] {
    let start = this.capture ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if ((this.capture === 'key' || this.capture === 'string') && this.stack.length === this.captureDepth) {
            this.finish(text.slice(start, i + 1));
            start = -1;
          }
        }
        continue;
      }
      if (WS.has(c)) continue;
      const depth = this.stack.length;
      if (!this.started) {
        if (c !== 0x7b) throw new ReadError(`Not a GeoJSON object: the file starts with "${text.slice(i, i + 20)}"; expected {"type": "FeatureCollection", …}.`, note('read_json_not_object'));
        this.started = true;
      }
      // A number, true, false or null ends at the next , } or ].
      if (this.capture === 'primitive' && depth === this.captureDepth && (c === 0x2c || c === 0x7d || c === 0x5d)) {
        this.finish(text.slice(start, i));
        start = -1;
      }
      if (!this.capture && this.wantsValue(depth)) {
        if (depth === 1 && this.key === 'features' && c === 0x5b) {
          this.inFeatures = true;
          this.sawFeatures = true;
        } else if (!(depth === 2 && (c === 0x2c || c === 0x5d))) {
          this.capture = c === QUOTE ? 'string' : c === 0x7b || c === 0x5b ? 'container' : 'primitive';
          this.captureDepth = depth;
          start = i;
        }
      } else if (depth === 1 && !this.capture) {
        if (this.expect === 'key' && c === QUOTE) {
          this.capture = 'key';
          this.captureDepth = 1;
          start = i;
        } else if (this.expect === 'colon' && c === 0x3a) this.expect = 'value';
        else if (this.expect === 'comma' && c === 0x2c) this.expect = 'key';
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.stack.push(c);
      else if (c === 0x7d || c === 0x5d) {
        const open = this.stack.pop();
        if (open === undefined || (open === 0x7b) !== (c === 0x7d)) throw new ReadError(`Not valid JSON: an unmatched "${String.fromCharCode(c)}" near "${text.slice(Math.max(0, i - 30), i + 1)}".`, note('read_json_invalid'));
        if (this.capture === 'container' && this.stack.length === this.captureDepth) {
          this.finish(text.slice(start, i + 1));
          start = -1;
        } else if (this.inFeatures && this.stack.length === 1) {
          this.inFeatures = false;
          this.expect = 'comma';
        }
      }
    }
    if (this.capture && start >= 0) this.captured += text.slice(start);
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Call at the end of the text: throws when it stopped inside a value. */
  end(): void {
    if (!this.started) throw new ReadError('The file is empty.', note('read_empty'));
    if (this.inString || this.stack.length > 0) throw new ReadError('Not valid JSON: the file ends in the middle of a value (is it cut short?).', note('read_json_cut'));
  }

  private wantsValue(depth: number): boolean {
    return (depth === 1 && this.expect === 'value') || (depth === 2 && this.inFeatures);
  }

  private finish(tail: string): void {
    const text = this.captured + tail;
    this.captured = '';
    const kind = this.capture;
    this.capture = undefined;
    if (kind === 'key') {
      this.key = JSON.parse(text) as string;
      this.expect = 'colon';
    } else if (this.inFeatures && this.captureDepth === 2) this.out.push(text);
    else {
      try {
        this.members[this.key] = JSON.parse(text);
      } catch (err) {
        throw new ReadError(`Not valid JSON in the top-level member "${this.key}": ${(err as Error).message}.`, note('read_json_invalid'));
      }
      this.expect = 'comma';
    }
  }
}
