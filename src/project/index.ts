/** The Python project model: `detectProject(dir)` reads what a Dockerfile writer needs to know. */
export { detectProject } from './detect.js';
export { DEFAULT_VERSIONS, MANAGERS } from './manager.js';
export { DEFAULT_PYTHON, majorMinor } from './python-version.js';
export { detectApp, moduleName, splitCommand } from './app.js';
export { SERVER_NAMES } from './servers.js';
export { systemPackagesFor } from './system-packages.js';
export type * from './types.js';
