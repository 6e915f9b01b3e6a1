/** Paths and inputs the CLI-level unit tests share. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the first folder above this compiled file that holds package.json. */
export function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
  return dir;
}

/** The bundled CLI, as the package's bin runs it. */
export const BUNDLE_BIN = join(findRoot(), 'dist', 'bundle', 'main.js');

/** A Dockerfile with no finding at the default threshold. */
export const CLEAN_DOCKERFILE = `FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app ./app
USER 1000
CMD ["python", "-m", "app"]
`;
