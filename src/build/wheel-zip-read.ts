/**
 * Reads every member of a wheel (a zip) into memory. Wheels only use the stored and deflate
 * methods, so node's own raw inflate suffices and no zip library is needed; zip64 records are
 * read too, because large native wheels (torch, tensorflow) use them.
 */
import { inflateRawSync } from 'node:zlib';
import { UserError } from '../errors.js';

/** One member of a zip. */
export interface ZipMember {
  /** The member's name as the zip stores it (forward slashes). */
  name: string;
  data: Buffer;
  /** Unix mode from the external attributes (high 16 bits) when the zip was made on unix, else 0. */
  unixMode: number;
  isDir: boolean;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The members of the zip in `buf`, in central-directory order; `label` names the file in errors. */
export function readZip(buf: Buffer, label: string): ZipMember[] {
  const bad = (why: string) =>
    new UserError(`${label}: not a readable wheel (${why}); delete it from the cache and fetch again`);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--)
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw bad('no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === EOCD64_LOCATOR) {
    const at = Number(buf.readBigUInt64LE(eocd - 20 + 8));
    count = Number(buf.readBigUInt64LE(at + 32));
    cdOffset = Number(buf.readBigUInt64LE(at + 48));
  }
  const members: ZipMember[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw bad('broken central directory');
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const method = buf.readUInt16LE(p + 10);
    let compressed = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64: the extra field carries, in this order, only the values whose 32-bit field is full.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) ((size = Number(buf.readBigUInt64LE(q))), (q += 8));
        if (compressed === 0xffffffff) ((compressed = Number(buf.readBigUInt64LE(q))), (q += 8));
        if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (buf.readUInt32LE(local) !== LOCAL) throw bad(`no local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw bad(`${name} uses compression method ${method}`);
    if (data.length !== size) throw bad(`${name} has ${data.length} bytes, the zip says ${size}`);
    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    members.push({ name, data, unixMode, isDir: name.endsWith('/') });
  }
  return members;
}
