import { MongoServerError } from 'mongodb';
import { isDuplicateKeyError, oid } from './repository-helpers';

describe('oid', () => {
  it('converts a 24-hex-digit id, in either case', () => {
    expect(oid('65a1b2c3d4e5f60718293a4b')?.toHexString()).toBe('65a1b2c3d4e5f60718293a4b');
    expect(oid('65A1B2C3D4E5F60718293A4B')?.toHexString()).toBe('65a1b2c3d4e5f60718293a4b');
  });

  it('gives null for anything else, so a foreign id finds nothing', () => {
    for (const id of [
      '',
      'abc',
      '65a1b2c3d4e5f60718293a4',
      '65a1b2c3d4e5f60718293a4bz',
      '123456789012',
    ]) {
      expect(oid(id)).toBeNull();
    }
  });
});

describe('isDuplicateKeyError', () => {
  it('recognises E11000 and nothing else', () => {
    expect(
      isDuplicateKeyError(new MongoServerError({ code: 11000, errmsg: 'E11000 dup key' })),
    ).toBe(true);
    expect(isDuplicateKeyError(new MongoServerError({ code: 121, errmsg: 'validation' }))).toBe(
      false,
    );
    for (const other of [null, undefined, 'E11000', 11000, new Error('E11000 duplicate key')]) {
      expect(isDuplicateKeyError(other)).toBe(false);
    }
  });
});
