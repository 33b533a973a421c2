import { isUtf8 } from 'node:buffer';
import { AppError } from './errors/app-error';

/** Route config flag (`@RouteConfig`) of the one route whose text is not ours to refuse. */
export const ALLOWS_NUL_TEXT = 'allowsNulText';

declare module 'fastify' {
  interface FastifyContextConfig {
    [ALLOWS_NUL_TEXT]?: boolean;
  }
}

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUL_ESCAPE = Buffer.from('u0000');

/**
 * Checks the raw bytes of a JSON body in one pass, before anything parses or validates it: valid
 * UTF-8, nested at most {@link MAX_JSON_DEPTH} deep, and (when `refuseNul`) no `\u0000` in any
 * string. Throws a 400 {@link AppError} whose `details.reason` names the rule.
 */
export function checkJsonBytes(body: Buffer, refuseNul: boolean): void {
  if (!isUtf8(body)) {
    throw new AppError('BAD_REQUEST', 'Request body is not valid UTF-8', {
      reason: 'INVALID_UTF8',
    });
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) {
        if (refuseNul && body.compare(NUL_ESCAPE, 0, 5, i + 1, i + 6) === 0) {
          throw new AppError('BAD_REQUEST', 'Text may not contain NUL characters', {
            reason: 'NUL_CHARACTER',
          });
        }
        i++;
      } else if (byte === QUOTE) {
        inString = false;
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new AppError('BAD_REQUEST', 'Request body is nested too deeply', {
          reason: 'TOO_DEEP',
          maxDepth: MAX_JSON_DEPTH,
        });
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
}
