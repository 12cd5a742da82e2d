import type { FastifyRequest } from 'fastify';
import { ServiceError } from './errors.js';

/** The one multipart field the service reads. */
export const FILE_FIELD = 'file';

const ONE_FILE = `send one file, in the multipart field "${FILE_FIELD}"`;

async function readMultipart(request: FastifyRequest): Promise<Buffer> {
  let bytes: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file' || part.fieldname !== FILE_FIELD) {
        throw new ServiceError(400, 'unexpected_field', `unexpected field or file: ${ONE_FILE}`);
      }
      if (bytes) throw new ServiceError(400, 'too_many_files', `more than one file: ${ONE_FILE}`);
      bytes = await part.toBuffer();
    }
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    if ((error as { statusCode?: number }).statusCode === 413) throw error;
    // The parser's own errors (no boundary, a truncated or malformed part) are the client's.
    throw new ServiceError(400, 'bad_multipart', 'the multipart body is malformed or truncated', {
      cause: error,
    });
  }
  if (!bytes) throw new ServiceError(400, 'no_file', `the multipart body has no file: ${ONE_FILE}`);
  return bytes;
}

/** The uploaded file: the one multipart file of field `file`, or the raw body. */
export async function readUpload(request: FastifyRequest): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (request.isMultipart()) {
    bytes = await readMultipart(request);
  } else if (Buffer.isBuffer(request.body)) {
    bytes = request.body;
  } else if (request.body === undefined || request.body === null) {
    throw new ServiceError(400, 'no_file', `send the image or video as the body, or ${ONE_FILE}`);
  } else {
    throw new ServiceError(
      415,
      'unsupported_type',
      'the body is not a file: send image/*, video/*, application/octet-stream or multipart/form-data',
    );
  }
  if (bytes.length === 0) throw new ServiceError(400, 'no_file', 'the upload is empty');
  return bytes;
}
