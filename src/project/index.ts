/** The Python project model: `detectProject(dir)` reads what a Dockerfile writer needs to know. */
export { detectProject, DEFAULT_PYTHON, DEFAULT_VERSIONS, MANAGERS, majorMinor } from './detect.js';
export { detectApp, healthPath, moduleName, splitCommand } from './app.js';
export { systemPackagesFor } from './system-packages.js';
export type * from './types.js';
