/**
 * An error caused by the user's input or environment (bad flag, unreadable file, malformed
 * config, missing engine). The CLI prints its message as one line and exits with code 2.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
