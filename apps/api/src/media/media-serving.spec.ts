import { mediaResponseHeaders } from './media-serving';
import { sniffMediaType } from './media-sniff';

const bytes = (s: string, ...rest: number[]) =>
  Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from(rest), Buffer.alloc(16)]);

describe('sniffMediaType', () => {
  it.each([
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0]), undefined, 'image/jpeg'],
    ['PNG', bytes('\x89PNG\r\n\x1a\n'), undefined, 'image/png'],
    ['WebP', bytes('RIFF\x00\x00\x00\x00WEBP'), undefined, 'image/webp'],
    ['OGG/Opus', bytes('OggS'), undefined, 'audio/ogg'],
    ['AMR', bytes('#!AMR\n'), undefined, 'audio/amr'],
    ['MP3 with ID3', bytes('ID3\x04'), undefined, 'audio/mpeg'],
    ['MP3 frame', Buffer.from([0xff, 0xfb, 0x90, 0x44]), undefined, 'audio/mpeg'],
    ['AAC ADTS', Buffer.from([0xff, 0xf1, 0x50, 0x80]), undefined, 'audio/aac'],
    ['M4A', bytes('\x00\x00\x00\x20ftypM4A '), undefined, 'audio/mp4'],
    ['MP4 sent as audio', bytes('\x00\x00\x00\x20ftypisom'), 'audio' as const, 'audio/mp4'],
    ['MP4 video', bytes('\x00\x00\x00\x20ftypisom'), 'video' as const, 'video/mp4'],
    ['3GPP', bytes('\x00\x00\x00\x20ftyp3gp5'), undefined, 'video/3gpp'],
    ['PDF', bytes('%PDF-1.4'), undefined, 'application/pdf'],
    ['HTML', bytes('<!doctype html><script>alert(1)</script>'), undefined, null],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'), undefined, null],
    ['empty', Buffer.alloc(0), undefined, null],
  ])('reads %s from its first bytes', (_name, data, kind, expected) => {
    expect(sniffMediaType(data, kind)).toBe(expected);
  });
});

describe('mediaResponseHeaders', () => {
  it('serves an inline type inline with the sniffed type', () => {
    const h = mediaResponseHeaders({ sniffedType: 'image/png', fileName: 'foto.png', size: 10 });
    expect(h['content-type']).toBe('image/png');
    expect(h['content-disposition']).toBe('inline; filename="foto.png"');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['content-security-policy']).toContain('sandbox');
  });

  it('makes anything else an octet-stream download, and a hostile name harmless', () => {
    for (const sniffedType of [null, 'application/pdf', 'text/html', 'image/svg+xml']) {
      const h = mediaResponseHeaders({ sniffedType, fileName: '"a\r\nb".html', size: 3 });
      expect(h['content-type']).toBe('application/octet-stream');
      expect(h['content-disposition']).toBe('attachment; filename="_a_b_.html"');
    }
  });
});
