/** What an upload holds, judged by its first bytes (never by the client's Content-Type or file name). */
export type MediaKind = 'image' | 'video';

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  text.split('').every((c, i) => bytes[start + i] === c.charCodeAt(0));

/** Image and video containers the service accepts, by signature. */
export function sniffMedia(bytes: Uint8Array): { kind: MediaKind; format: string } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { kind: 'image', format: 'jpeg' };
  if (ascii(bytes, 1, 'PNG')) return { kind: 'image', format: 'png' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { kind: 'image', format: 'webp' };
  if (ascii(bytes, 0, 'GIF8')) return { kind: 'image', format: 'gif' };
  if (ascii(bytes, 0, 'BM')) return { kind: 'image', format: 'bmp' };
  if (ascii(bytes, 0, 'II*\0') || ascii(bytes, 0, 'MM\0*')) return { kind: 'image', format: 'tiff' };
  // ISO BMFF: MP4, MOV, 3GP (an 'ftyp' box first); AVIF/HEIF are images in the same container.
  if (ascii(bytes, 4, 'ftyp')) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (brand === 'avif' || brand === 'avis') return { kind: 'image', format: 'avif' };
    return { kind: 'video', format: 'mp4' };
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return { kind: 'video', format: 'webm' };
  }
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'AVI ')) return { kind: 'video', format: 'avi' };
  return undefined;
}
