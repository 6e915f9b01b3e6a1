/**
 * Content digests: parsing, and a pass-through stream that hashes what flows through it and
 * fails at the end when the digest or the byte count is not the expected one.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImageError } from './errors.js';

const DIGEST_RE = /^(sha256):([a-f0-9]{64})$|^(sha512):([a-f0-9]{128})$/;

export function parseDigest(d: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  const m = DIGEST_RE.exec(d);
  if (!m) throw new ImageError(`invalid digest ${JSON.stringify(d.slice(0, 100))}`);
  return m[1] ? { algorithm: 'sha256', hex: m[2] } : { algorithm: 'sha512', hex: m[4] };
}

export function isDigest(d: unknown): d is string {
  return typeof d === 'string' && DIGEST_RE.test(d);
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** ChainID per the OCI image spec: chain(L0) = diffID(L0); chain(Ln) = sha256(chain(Ln-1) + " " + diffID(Ln)). */
export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : sha256(`${out[out.length - 1]} ${d}`));
  return out;
}

/** Counts and hashes bytes; `digest()` is valid once the stream has ended. */
export class Hasher {
  readonly hash: Hash;
  bytes = 0;
  constructor(readonly algorithm: 'sha256' | 'sha512' = 'sha256') {
    this.hash = createHash(algorithm);
  }
  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }
  digest(): string {
    return `${this.algorithm}:${this.hash.digest('hex')}`;
  }
}

export interface VerifyOptions {
  /** Expected digest (`sha256:...`); undefined = just measure. */
  digest?: string;
  /** Expected byte count; undefined or negative = unknown. */
  size?: number;
  /** What is being read, for error messages (e.g. "layer 3 blob sha256:abcd"). */
  what: string;
  /** Called with the computed digest and byte count when the stream ends successfully. */
  onDone?: (digest: string, bytes: number) => void;
}

/** A Transform that passes bytes through, hashes them and fails at the end on a mismatch. */
export function verifyingStream(opts: VerifyOptions): Transform {
  const algorithm = opts.digest ? parseDigest(opts.digest).algorithm : 'sha256';
  const h = new Hasher(algorithm);
  const size = opts.size !== undefined && opts.size >= 0 ? opts.size : undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      h.update(chunk);
      if (size !== undefined && h.bytes > size) {
        cb(new ImageError(`${opts.what}: more than the ${size} bytes its descriptor declares`));
        return;
      }
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      const got = h.digest();
      if (size !== undefined && h.bytes !== size) {
        cb(new ImageError(`${opts.what}: truncated, ${h.bytes} of ${size} bytes`));
        return;
      }
      if (opts.digest && got !== opts.digest) {
        cb(new ImageError(`${opts.what}: digest mismatch, expected ${opts.digest}, content is ${got}`));
        return;
      }
      opts.onDone?.(got, h.bytes);
      cb();
    },
  });
}

export function shortDigest(d: string | undefined): string {
  if (!d) return '-';
  const i = d.indexOf(':');
  return d.slice(i + 1, i + 13);
}
