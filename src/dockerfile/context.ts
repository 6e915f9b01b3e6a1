/** The build context of a Dockerfile: its directory and .dockerignore. Implemented in context-impl. */
export interface BuildContext {
  /** Absolute directory of the build context; '' for stdin input. */
  dir: string;
  /** False for stdin or when the directory does not exist. */
  exists: boolean;
  /** .dockerignore (or Dockerfile-specific `<name>.dockerignore`) path, when present. */
  ignoreFile?: string;
  /** Patterns of that file, in order, comments and blanks removed. */
  ignorePatterns: string[];
  /** True when `path` (relative, `/`-separated) is excluded from the context by the ignore file. */
  isIgnored(path: string): boolean;
  /** Files in the context after .dockerignore, relative paths; listed lazily, capped for huge trees. */
  files(): string[];
}
