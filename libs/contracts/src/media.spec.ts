import { checkMediaFile, mediaKindOfMime, MEDIA_LIMITS } from './media';

describe("Meta's media limits", () => {
  it('accepts a file within its kind', () => {
    expect(checkMediaFile('image', { mimeType: 'image/jpeg', size: 1000 })).toBeNull();
    expect(checkMediaFile('audio', { mimeType: 'audio/ogg; codecs=opus', size: 1000 })).toBeNull();
  });

  it('refuses a file over the size of its kind, a type Meta does not take, and an empty file', () => {
    const image = MEDIA_LIMITS.image.maxBytes;
    expect(checkMediaFile('image', { mimeType: 'image/png', size: image + 1 })).toBe(
      'MEDIA_TOO_LARGE',
    );
    expect(checkMediaFile('image', { mimeType: 'image/gif', size: 10 })).toBe(
      'MEDIA_TYPE_NOT_ALLOWED',
    );
    expect(checkMediaFile('document', { mimeType: 'text/html', size: 10 })).toBe(
      'MEDIA_TYPE_NOT_ALLOWED',
    );
    expect(checkMediaFile('video', { mimeType: 'video/mp4', size: 0 })).toBe('MEDIA_EMPTY');
  });

  it('sends a file as the kind its type belongs to, else as a document', () => {
    expect(mediaKindOfMime('image/png')).toBe('image');
    expect(mediaKindOfMime('audio/mpeg')).toBe('audio');
    expect(mediaKindOfMime('video/3gpp')).toBe('video');
    expect(mediaKindOfMime('application/pdf')).toBe('document');
  });
});
