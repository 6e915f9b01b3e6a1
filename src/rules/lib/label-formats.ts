/**
 * Value formats of the label schema (`label-schema` in the configuration): each checker answers
 * whether a literal label value is of that type. Written from the standards themselves (RFC 3986,
 * RFC 3339, RFC 5322, SPDX license expressions, Semantic Versioning 2.0.0).
 */
import type { LabelType } from '../types.js';
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from './spdx-ids.js';

/** Every type a schema may name; `text` accepts any value (only presence and emptiness are checked). */
export const LABEL_TYPES: readonly LabelType[] = ['text', 'url', 'email', 'rfc3339', 'spdx', 'hash', 'semver'];

/**
 * An absolute URI (RFC 3986: a scheme, then the rest; no white space). `http(s)` and `ftp` need a
 * host; the WHATWG parser Node ships settles the remaining syntax.
 */
export function isUrl(v: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.+)$/.exec(v);
  if (!m || /\s/.test(v)) return false;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return false;
  }
  if (/^(https?|ftps?|wss?)$/i.test(m[1])) return url.hostname !== '' && m[2].startsWith('//');
  return true;
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = `${ATOM}(?:\\.${ATOM})*`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|\\[[^\\[\\]\\\\\\s]*\\])$`);
const NAME_ADDR = /^(?:[^<>@]*\S\s*)?<([^<>]+)>$/;

/**
 * An RFC 5322 mailbox: an addr-spec (`jane@example.com`, quoted local parts and domain literals
 * included), or one with a display name (`Jane Doe <jane@example.com>`).
 */
export function isEmail(v: string): boolean {
  const s = v.trim();
  if (ADDR_SPEC.test(s)) return true;
  const m = NAME_ADDR.exec(s);
  return !!m && ADDR_SPEC.test(m[1].trim());
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 date-time (`2024-05-01T12:30:00Z`, `2024-05-01 12:30:00.5+02:00`): the NOTE of its
 * section 5.6 allows a space for the `T`. Fields are range-checked, leap years and the leap second
 * included.
 */
export function isRfc3339(v: string): boolean {
  const m = DATE_TIME.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  return m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A git object name: hexadecimal, a full SHA-1 (40 digits) or SHA-256 (64 digits) name, or an
 * abbreviation of at least 7 digits as `git rev-parse --short` prints.
 */
export function isGitHash(v: string): boolean {
  return /^[0-9a-fA-F]+$/.test(v) && ((v.length >= 7 && v.length <= 40) || v.length === 64);
}

const NUM = '(?:0|[1-9]\\d*)';
const PRE_ID = `(?:${NUM}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER = new RegExp(
  `^${NUM}\\.${NUM}\\.${NUM}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/** A Semantic Versioning 2.0.0 version: `1.0.0`, `1.0.0-rc.1`, `1.0.0+build.5` (no `v` prefix). */
export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}

let licenses: Set<string> | undefined;
let exceptions: Set<string> | undefined;

/**
 * An SPDX license expression: identifiers from the SPDX License List (matched case-insensitively,
 * as the SPDX spec asks), `LicenseRef-`/`DocumentRef-` references, a `+` suffix, `WITH` an
 * exception, `AND`/`OR` and parentheses.
 */
export function isSpdxExpression(v: string): boolean {
  licenses ??= new Set(SPDX_LICENSE_IDS.split(' ').map((s) => s.toLowerCase()));
  exceptions ??= new Set(SPDX_EXCEPTION_IDS.split(' ').map((s) => s.toLowerCase()));
  const tokens = v.match(/\(|\)|[^\s()]+/g);
  if (!tokens) return false;
  let i = 0;
  const simple = (): boolean => {
    const t = tokens[i++];
    if (t === undefined) return false;
    if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(t)) return true;
    return licenses!.has((t.endsWith('+') ? t.slice(0, -1) : t).toLowerCase());
  };
  const primary = (): boolean => {
    if (tokens[i] === '(') {
      i++;
      if (!orExpr() || tokens[i] !== ')') return false;
      i++;
      return true;
    }
    if (!simple()) return false;
    if (tokens[i] === 'WITH') {
      i++;
      const e = tokens[i++];
      return e !== undefined && exceptions!.has(e.toLowerCase());
    }
    return true;
  };
  const andExpr = (): boolean => {
    if (!primary()) return false;
    while (tokens[i] === 'AND') {
      i++;
      if (!primary()) return false;
    }
    return true;
  };
  const orExpr = (): boolean => {
    if (!andExpr()) return false;
    while (tokens[i] === 'OR') {
      i++;
      if (!andExpr()) return false;
    }
    return true;
  };
  return orExpr() && i === tokens.length;
}
