import { describe, expect, it } from 'vitest';
import { dbfEncoding, encodingFromCpg } from './dbf-encoding.rules';

/** A .dbf head: 32-byte header (length 33 + fields) and one record holding `text` bytes. */
function dbf(text: Uint8Array, ldid = 0): Uint8Array {
  const head = new Uint8Array(33 + 1 + text.length);
  head[0] = 0x03;
  head[8] = 33;
  head[29] = ldid;
  head[32] = 0x0d;
  head[33] = 0x20;
  head.set(text, 34);
  return head;
}
const GBK_ZHONGMOU = new Uint8Array([0xd6, 0xd0, 0xc4, 0xb2]); // 中牟 in GBK
const UTF8_ZHONGMOU = new TextEncoder().encode('中牟');

describe('the encoding of a .dbf', () => {
  it('follows the .cpg first, naming every GBK spelling GB 18030', () => {
    for (const name of ['936', 'CP936', 'GBK', 'gb2312', 'GB18030'])
      expect(encodingFromCpg(name)).toBe('gb18030');
    expect(encodingFromCpg('UTF-8')).toBe('utf-8');
    expect(encodingFromCpg(' 65001\n')).toBe('utf-8');
    expect(dbfEncoding('UTF-8', dbf(GBK_ZHONGMOU))).toBe('utf-8');
  });

  it('without a .cpg reads the language driver id, then the bytes', () => {
    expect(dbfEncoding(null, dbf(new TextEncoder().encode('abc'), 0x4d))).toBe('gb18030');
    expect(dbfEncoding(null, dbf(new TextEncoder().encode('abc'), 0x7a))).toBe('gb18030');
    expect(dbfEncoding(null, dbf(GBK_ZHONGMOU))).toBe('gb18030');
    expect(dbfEncoding(null, dbf(UTF8_ZHONGMOU))).toBe('utf-8');
    expect(dbfEncoding('', dbf(GBK_ZHONGMOU))).toBe('gb18030');
    // A UTF-8 character cut at the end of the sample is not taken for GBK.
    expect(dbfEncoding(null, dbf(UTF8_ZHONGMOU.subarray(0, 4)))).toBe('utf-8');
  });

  it('decodes GBK names as Chinese with the chosen encoding', () => {
    expect(new TextDecoder(dbfEncoding(null, dbf(GBK_ZHONGMOU))).decode(GBK_ZHONGMOU)).toBe('中牟');
  });
});
