import { UserError } from '../errors.js';

/**
 * The image (or its source) is corrupt, truncated, inconsistent or hostile: a wrong digest, a bad
 * gzip stream, a path that climbs out of the image, an oversized header. Always a one-line
 * message; the CLI exits 2.
 */
export class ImageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}
