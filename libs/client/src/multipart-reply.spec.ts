import { parseMultipartReply, readMultipartReply } from './multipart-reply';

const RESULT = { points: [[1, 2, 3]], label: 'spleen' };
const IMAGE = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0x00]);

/** A reply byte for byte as the server writes it: `params` without Content-Type, then the file part. */
function serverStyleReply(boundary: string): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="params"\r\n\r\n${JSON.stringify(RESULT)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="result.nii.gz"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    IMAGE,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

describe('parseMultipartReply', () => {
  it('reads a reply encoded by Node’s own FormData (undici), an independent writer', async () => {
    const form = new FormData();
    form.append('params', JSON.stringify(RESULT));
    form.append('image', new Blob([IMAGE]), 'result.png');
    const response = new Response(form);
    const reply = await readMultipartReply(response);
    expect(reply).toEqual({ params: RESULT, image: IMAGE, filename: 'result.png' });
  });

  it('reads the server’s layout, with a quoted boundary, and answers the image as a view of the body', () => {
    const body = serverStyleReply('aiaa-0123abcd');
    const reply = parseMultipartReply(body, 'multipart/form-data; boundary="aiaa-0123abcd"');
    expect(reply.params).toEqual(RESULT);
    expect(reply.filename).toBe('result.nii.gz');
    expect(reply.image.equals(IMAGE)).toBe(true);
    expect(reply.image.buffer).toBe(body.buffer);
  });

  describe('refuses a reply it cannot read, saying why', () => {
    const body = serverStyleReply('b0');
    it.each([
      ['no boundary', body, 'multipart/form-data', 'expected multipart/form-data with a boundary'],
      ['a JSON reply', Buffer.from('{}'), 'application/json', "got 'application/json'"],
      ['a cut body', body.subarray(0, body.length - 8), 'multipart/form-data; boundary=b0', 'closing delimiter'],
      [
        'no image part',
        Buffer.from('--b0\r\nContent-Disposition: form-data; name="params"\r\n\r\n{}\r\n--b0--\r\n'),
        'multipart/form-data; boundary=b0',
        "got no 'image'",
      ],
      [
        'params that are not JSON',
        Buffer.from('--b0\r\nContent-Disposition: form-data; name="params"\r\n\r\n{oops\r\n--b0--\r\n'),
        'multipart/form-data; boundary=b0',
        "the 'params' part is not JSON",
      ],
    ])('%s', (_what, bytes, contentType, message) => {
      expect(() => parseMultipartReply(bytes, contentType)).toThrow(message);
    });
  });
});
