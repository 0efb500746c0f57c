/** Files a user names (a budgets file, an instances file): read whole, or one line saying why not. */
import { readFile } from 'node:fs/promises';
import { CodedError, ErrorCode } from '../errors.js';

export async function readUserFile(path: string, accepted?: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message.split('\n')[0];
    throw new CodedError(ErrorCode.SourceMissing, `${path}: ${why}${accepted ? `; ${accepted}` : ''}`);
  }
}
