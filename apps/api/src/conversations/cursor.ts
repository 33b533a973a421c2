import { AppError } from '../common/errors/app-error';

/** A position in a list sorted by (time, _id). */
export interface Position {
  at: Date;
  id: string;
}

/** Encodes a position as an opaque, URL-safe cursor. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.getTime(), position.id]), 'utf8').toString(
    'base64url',
  );
}

/** Decodes a cursor made by {@link encodeCursor}; a tampered one is a VALIDATION_FAILED on `cursor`. */
export function decodeCursor(cursor: string | undefined): Position | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      /^[a-f0-9]{24}$/.test(parsed[1])
    ) {
      return { at: new Date(parsed[0] as number), id: parsed[1] };
    }
  } catch {
    // falls through to the validation error
  }
  throw AppError.validation([
    { field: 'cursor', code: 'pattern', message: 'is not a valid cursor' },
  ]);
}

/** The list's order: newest activity first, then the larger id (the cursor's tie-break). */
export function newestFirst(
  x: { lastMessageAt: Date; id: string },
  y: { lastMessageAt: Date; id: string },
): number {
  return y.lastMessageAt.getTime() - x.lastMessageAt.getTime() || (y.id < x.id ? -1 : 1);
}
