// The EXIF Orientation tag (0x0112) of a JPEG's APP1 segment. Browsers apply it when they
// draw a photo (CSS image-orientation: from-image), so decodeImage does too, and a phone
// photo gives the same tensor in Node as in a browser. PIL's Image.open does not: see
// DecodeOptions.orientation. Any malformed or missing data reads as 1 (as stored).

/** 1 = as stored … 8, the EXIF/TIFF values (2, 4, 5, 7 mirror; 5–8 swap width and height). */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** `seg`: the APP1 payload (after the length field). */
export function exifOrientation(seg: Uint8Array): Orientation {
  // "Exif\0\0", then a TIFF header: byte order "II" or "MM", 42, offset of IFD0.
  if (seg.length < 14 || String.fromCharCode(...seg.subarray(0, 4)) !== 'Exif' || seg[4] !== 0 || seg[5] !== 0) return 1;
  const tiff = seg.subarray(6);
  const le = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!le && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return 1;
  const u16 = (i: number): number => (le ? tiff[i] | (tiff[i + 1] << 8) : (tiff[i] << 8) | tiff[i + 1]);
  const u32 = (i: number): number => (le ? u16(i) + u16(i + 2) * 65536 : u16(i) * 65536 + u16(i + 2));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const entries = u16(ifd);
  for (let k = 0; k < entries; k++) {
    const e = ifd + 2 + 12 * k;
    if (e + 12 > tiff.length) return 1;
    // Tag 0x0112, type SHORT (3), count 1: the value sits in the entry's first two value bytes.
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return u16(e + 2) === 3 && v >= 1 && v <= 8 ? (v as Orientation) : 1;
    }
  }
  return 1;
}
