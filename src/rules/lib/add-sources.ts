/**
 * Sources ADD treats specially: archives it extracts, files it decompresses, URLs and git refs it fetches.
 */

/** Archives ADD extracts on its own (tar, optionally gzip/bzip2/xz compressed). */
const TAR = /\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst))$/i;

/** Files ADD treats specially (extracts or decompresses); replacing ADD by COPY changes behaviour. */
const ADD_SPECIAL = /\.(tar|tgz|tbz2?|txz|tlz|gz|bz2|xz|zst|lz4|lzma|z)$/i;

export function isTarArchive(name: string): boolean {
  return TAR.test(name);
}

export function isAddSpecial(name: string): boolean {
  return ADD_SPECIAL.test(name);
}

/** URLs and git references that ADD fetches. */
export function isRemoteSource(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || /^git@/.test(src) || /\.git(#.*)?$/.test(src);
}
