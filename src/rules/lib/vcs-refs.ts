/**
 * Version control references in package specs: which commit, tag or branch a pip or npm install
 * from a repository takes. A spec without a ref, or with a branch that moves, installs whatever
 * the repository holds on build day.
 */

/** Refs that name a branch (or the newest of anything): they move. */
const MOVING = /^(main|master|develop|development|dev|trunk|head|latest|stable|default)$/i;

/** True for a ref that does not pin one revision: none, or a branch that moves. */
export function movingRef(ref: string): boolean {
  return ref === '' || MOVING.test(ref);
}

/**
 * For a pip requirement installed from a VCS (`git+https://host/repo.git@v1.0`,
 * `git+ssh://git@host/repo@abc123#egg=x`, `name @ git+https://...`, hg/svn/bzr alike): the ref
 * after the path's `@`, '' when none. Undefined when the spec is not a VCS URL.
 */
export function pipVcsRef(spec: string): string | undefined {
  const m = /^(?:[A-Za-z0-9._-]+(?:\[[^\]]*\])?\s*@\s*)?(?:git|hg|svn|bzr)\+[A-Za-z]+:\/\/(.*)$/.exec(spec.trim());
  if (!m) return undefined;
  // Drop the fragment (#egg=, #subdirectory=) and the user info (git@), then read the path's @ref.
  const rest = m[1].replace(/#.*$/, '').replace(/^[^/]*@/, '');
  const path = rest.slice(rest.indexOf('/') + 1);
  const at = rest.indexOf('/') < 0 ? -1 : path.lastIndexOf('@');
  return at < 0 ? '' : path.slice(at + 1);
}

/**
 * For an npm spec that installs from git (`git+ssh://`, `git+https://`, `git+http://`, `git://`,
 * `github:`/`gitlab:`/`bitbucket:` and `user/repo` shorthands, also after `name@`): the
 * commit-ish after `#` ('' when none; `semver:^1.2` counts as a range, as a registry range does).
 * Undefined when the spec is not a git source.
 */
export function npmGitRef(spec: string): string | undefined {
  const source = spec.replace(/^(@[^/@]+\/)?[^@/:]+@(?=(git|github|gitlab|bitbucket|gist)[+:]|[^/@:]+\/)/, '');
  const git =
    /^(git\+(ssh|https?|file)|git|github|gitlab|bitbucket|gist):/i.test(source) ||
    /^[^@/:.~][^@/:]*\/[^/:]+$/.test(source);
  if (!git) return undefined;
  const hash = source.indexOf('#');
  return hash < 0 ? '' : source.slice(hash + 1);
}
