import * as dicomParser from 'dicom-parser';
import { decimalString, encodePart10, newUid } from './dicom-dataset-encoder';

describe('encodePart10', () => {
  it('writes values, nested sequences and odd lengths as dicom-parser reads them', () => {
    const bytes = encodePart10('1.2.840.10008.5.1.4.1.1.66.4', '1.2.3.4', [
      { tag: 0x7fe00010, vr: 'OB', value: Uint8Array.of(1, 2, 3) },
      { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
      { tag: 0x00280010, vr: 'US', value: 512 },
      { tag: 0x00200032, vr: 'DS', value: [-200.60736083984375, 0.5, 1e-7] },
      { tag: 0x00209165, vr: 'AT', value: 0x0062000b },
      { tag: 0x00209157, vr: 'UL', value: [1, 70000] },
      { tag: 0x00620005, vr: 'LO', value: 'Milz – spleen' },
      {
        tag: 0x00620002,
        vr: 'SQ',
        value: [
          [{ tag: 0x00620004, vr: 'US', value: 1 }],
          [{ tag: 0x0062000a, vr: 'SQ', value: [[{ tag: 0x0062000b, vr: 'US', value: 2 }]] }],
        ],
      },
    ]);
    const data = dicomParser.parseDicom(bytes);
    expect(data.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(data.string('x00020003')).toBe('1.2.3.4');
    expect(data.string('x00100010')).toBe('Doe^Jane');
    expect(data.uint16('x00280010')).toBe(512);
    expect(data.string('x00200032')).toBe('-200.60736083984\\0.5\\1e-7');
    expect(data.attributeTag('x00209165')).toBe('x0062000b');
    expect([data.uint32('x00209157', 0), data.uint32('x00209157', 1)]).toEqual([1, 70000]);
    expect(
      Buffer.from(
        data.byteArray.subarray(
          data.elements['x00620005']!.dataOffset,
          data.elements['x00620005']!.dataOffset + data.elements['x00620005']!.length,
        ),
      )
        .toString('utf8')
        .trim(),
    ).toBe('Milz – spleen');
    const items = data.elements['x00620002']?.items ?? [];
    expect(items[0]?.dataSet?.uint16('x00620004')).toBe(1);
    expect(items[1]?.dataSet?.elements['x0062000a']?.items?.[0]?.dataSet?.uint16('x0062000b')).toBe(2);
    const pixels = data.elements['x7fe00010']!;
    expect(pixels.length).toBe(4);
    expect(Array.from(data.byteArray.subarray(pixels.dataOffset, pixels.dataOffset + 4))).toEqual([1, 2, 3, 0]);
  });
});

describe('decimalString', () => {
  it('keeps a DS value within 16 characters', () => {
    expect(decimalString(0.7851560115814209)).toBe('0.78515601158142');
    expect(decimalString(-200.60736083984375)).toBe('-200.60736083984');
    expect(decimalString(7.5)).toBe('7.5');
    expect(() => decimalString(Number.NaN)).toThrow('DS value NaN is not finite');
  });
});

describe('newUid', () => {
  it('makes distinct UUID-derived UIDs of at most 64 characters', () => {
    const uids = new Set(Array.from({ length: 100 }, () => newUid()));
    expect(uids.size).toBe(100);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
    }
  });
});
