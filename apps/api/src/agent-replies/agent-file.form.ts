import type { MultipartFile } from '@fastify/multipart';
import { AGENT_MESSAGE_RULES, MAX_MEDIA_BYTES } from '@conecta/contracts';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';

/** An agent's file as read from `multipart/form-data`: one `file` part and an optional `caption`. */
export interface AgentFileForm {
  file: { data: Buffer; mimeType: string; fileName: string };
  caption: string | undefined;
}

/** @fastify/multipart's own limit errors (parts, files, fields, file size). */
const LIMIT_ERRORS = new Set([
  'FST_REQ_FILE_TOO_LARGE',
  'FST_PARTS_LIMIT',
  'FST_FILES_LIMIT',
  'FST_FIELDS_LIMIT',
]);

function tooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', "The file is over WhatsApp's largest limit", {
    reason: 'MEDIA_TOO_LARGE',
    maxBytes: MAX_MEDIA_BYTES,
  });
}

/**
 * Reads the form after the caller is authenticated (the upload is not read before). Unknown
 * parts are refused like unknown JSON fields; a file over Meta's largest limit is cut off at it.
 */
export async function readAgentFileForm(request: FastifyRequest): Promise<AgentFileForm> {
  let file: AgentFileForm['file'] | undefined;
  let caption: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'file' && !file) {
        file = await readFile(part);
      } else if (part.type === 'field' && part.fieldname === 'caption' && caption === undefined) {
        caption = typeof part.value === 'string' ? part.value.trim() : '';
      } else {
        if (part.type === 'file') part.file.resume();
        throw AppError.validation([
          { field: part.fieldname, code: 'unknown', message: 'is not an allowed field' },
        ]);
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && LIMIT_ERRORS.has(code)) throw tooLarge();
    throw error;
  }
  if (!file) {
    throw AppError.validation([{ field: 'file', code: 'required', message: 'is required' }]);
  }
  const rule = AGENT_MESSAGE_RULES.caption;
  if (caption !== undefined && caption.length > rule.maxLength) {
    throw AppError.validation([
      {
        field: 'caption',
        code: 'maxLength',
        message: `must be shorter than or equal to ${rule.maxLength} characters`,
      },
    ]);
  }
  return { file, caption: caption || undefined };
}

async function readFile(part: MultipartFile): Promise<AgentFileForm['file']> {
  const data = await part.toBuffer();
  if (part.file.truncated) throw tooLarge();
  return { data, mimeType: part.mimetype, fileName: part.filename || 'file' };
}
