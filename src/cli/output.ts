/** Where a report goes: standard output, or a file that is never overwritten without --force. */
import { writeFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

export interface OutputOptions {
  output?: string;
  force?: boolean;
}

export async function writeReport(text: string, opts: OutputOptions): Promise<void> {
  if (!opts.output || opts.output === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    // 'wx' fails when the file exists, without a window between the check and the write.
    await writeFile(opts.output, text, { flag: opts.force ? 'w' : 'wx' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') throw new UserError(`${opts.output}: exists; use --force to overwrite it`);
    throw new UserError(`${opts.output}: cannot write (${err.code ?? err.message})`);
  }
}
