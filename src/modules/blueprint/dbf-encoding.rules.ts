/**
 * Which text encoding a Shapefile's .dbf is written in. Planning bureaus' files come from ArcGIS and
 * older desktop GIS in China, where attribute text is often GBK with no .cpg beside it; reading such a
 * file as UTF-8 turns every Chinese name into replacement characters.
 *
 * Order of evidence: the .cpg (what the author declared), the dBASE language-driver id in header byte 29
 * (0x4D and 0x7A name code page 936), then the record bytes themselves (valid UTF-8 or not).
 * GB 18030 is chosen for every GBK/GB 2312 declaration: it is their superset, so nothing is lost.
 */
const CHINESE_LDIDS = new Set([0x4d, 0x7a]);
const CHINESE_NAMES = /^(cp)?936$|^(gbk|gb2312|gb_2312-80|gb18030|chinese)$/i;
const UTF8_NAMES = /^(utf-?8|65001)$/i;

export function encodingFromCpg(cpg: string): string {
  const name = cpg.trim();
  if (UTF8_NAMES.test(name)) return 'utf-8';
  if (CHINESE_NAMES.test(name)) return 'gb18030';
  return name || 'utf-8';
}

/** `dbfHead`: the first bytes of the .dbf (header and some records; 64 KiB is plenty). */
export function dbfEncoding(cpg: string | null, dbfHead: Uint8Array): string {
  if (cpg !== null && cpg.trim() !== '') return encodingFromCpg(cpg);
  if (dbfHead.length > 29 && CHINESE_LDIDS.has(dbfHead[29]!)) return 'gb18030';
  const headerLength = dbfHead.length >= 10 ? dbfHead[8]! | (dbfHead[9]! << 8) : 0;
  const records = dbfHead.subarray(Math.min(headerLength, dbfHead.length));
  try {
    // `stream: true` lets a character cut at the end of the sample pass; only wrong bytes fail.
    new TextDecoder('utf-8', { fatal: true }).decode(records, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}
