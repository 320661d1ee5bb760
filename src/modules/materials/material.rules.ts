/**
 * Which uploads are accepted (pure). Types are decided by content, never by the declared name: the
 * allow-list covers what approval materials are (PDF, OFD 版式文件, scans, Office documents); executables,
 * scripts and active web content are refused, and so is a file whose name claims another type.
 */

export interface Sniffed {
  /** file-type's answer, if any. */
  ext?: string;
  mime?: string;
}

export interface UploadFacts {
  sniffed: Sniffed | undefined;
  /** The first bytes of the file (at least 512 when the file is that long). */
  head: Uint8Array;
  filename: string;
}

export type Verdict = { ok: true; kind: AllowedKind; mediaType: string } | { ok: false; reason: string };

export type AllowedKind = 'pdf' | 'ofd' | 'png' | 'jpg' | 'tif' | 'docx' | 'xlsx' | 'doc' | 'xls';

const mediaTypes: Record<AllowedKind, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  png: 'image/png',
  jpg: 'image/jpeg',
  tif: 'image/tiff',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
};

/** File-name extensions that agree with each kind. */
const extensionsOf: Record<AllowedKind, readonly string[]> = {
  pdf: ['pdf'],
  ofd: ['ofd'],
  png: ['png'],
  jpg: ['jpg', 'jpeg'],
  tif: ['tif', 'tiff'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  doc: ['doc'],
  xls: ['xls'],
};

const ALLOWED_TEXT = 'PDF、OFD、PNG、JPEG、TIFF、Word、Excel';

/** The lower-case extension of a file name, or '' when it has none. */
export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

const startsWith = (head: Uint8Array, bytes: readonly number[]) => bytes.every((b, i) => head[i] === b);

/** The name of a zip archive's first entry, from its local file header (PK\x03\x04), or null. */
export function zipFirstEntryName(head: Uint8Array): string | null {
  if (!startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || head.length < 30) return null;
  const nameLength = (head[26] ?? 0) | ((head[27] ?? 0) << 8);
  if (head.length < 30 + nameLength) return null;
  return Buffer.from(head.subarray(30, 30 + nameLength)).toString('utf8');
}

/** Executables and scripts, recognised from their magic bytes whatever file-type says. */
export function executableKind(head: Uint8Array, sniffed: Sniffed | undefined): string | null {
  if (startsWith(head, [0x4d, 0x5a])) return 'Windows 可执行文件 (PE/MZ executable)';
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return 'Linux 可执行文件 (ELF executable)';
  const machO = [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ];
  if (machO.some((m) => startsWith(head, m))) return 'macOS 可执行文件 (Mach-O executable)';
  if (startsWith(head, [0x23, 0x21])) return '脚本文件 (script with #!)';
  if (
    sniffed?.ext &&
    ['exe', 'elf', 'macho', 'dll', 'class', 'wasm', 'msi', 'apk', 'deb', 'rpm'].includes(sniffed.ext)
  ) {
    return `可执行程序 (${sniffed.ext})`;
  }
  return null;
}

/** HTML or SVG (active content that a browser would run). */
export function isWebContent(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 512))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return (
    /^<(!doctype\s+html|html|head|body|script|svg|iframe)\b/.test(text) ||
    (text.startsWith('<?xml') && text.includes('<svg'))
  );
}

/** What the content is, among the allowed kinds, or null. */
export function allowedKind(facts: UploadFacts): AllowedKind | null {
  const ext = facts.sniffed?.ext;
  switch (ext) {
    case 'pdf':
    case 'png':
    case 'jpg':
    case 'tif':
    case 'docx':
    case 'xlsx':
      return ext;
    case 'cfb': {
      // A compound file (legacy Word or Excel): the name tells which, the content that it is one of them.
      const declared = extensionOf(facts.filename);
      return declared === 'xls' ? 'xls' : 'doc';
    }
    case 'zip':
      // OFD (GB/T 33190) is a zip whose first entry is OFD.xml.
      return zipFirstEntryName(facts.head) === 'OFD.xml' ? 'ofd' : null;
    default:
      return null;
  }
}

export function classifyUpload(facts: UploadFacts): Verdict {
  const executable = executableKind(facts.head, facts.sniffed);
  if (executable) return { ok: false, reason: `不允许上传${executable} (executables are refused)` };
  if (isWebContent(facts.head))
    return { ok: false, reason: '不允许上传 HTML/SVG 网页内容 (HTML and SVG are refused)' };
  const kind = allowedKind(facts);
  if (!kind) {
    const seen = facts.sniffed?.ext ? `识别为 ${facts.sniffed.ext}` : '无法识别文件类型';
    return { ok: false, reason: `${seen}，仅接受 ${ALLOWED_TEXT} (type not allowed)` };
  }
  const declared = extensionOf(facts.filename);
  if (declared && !extensionsOf[kind].includes(declared)) {
    return {
      ok: false,
      reason: `文件名后缀 .${declared} 与实际内容 ${kind.toUpperCase()} 不符 (extension .${declared} contradicts the content, which is ${kind})`,
    };
  }
  return { ok: true, kind, mediaType: mediaTypes[kind] };
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name per RFC 5987 / RFC 6266. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Material codes are ASCII identifiers from the catalog. */
export const MATERIAL_CODE_PATTERN = /^M_[A-Z0-9_]{1,62}$/;

/** PDF actions that run something when a document is opened or clicked (refused: 415). */
export const PDF_ACTIVE_NAMES = ['JavaScript', 'JS', 'Launch', 'OpenAction'] as const;

/**
 * The active-content names found in a piece of PDF text (latin1). Names may hide letters as #xx
 * escapes (`/J#61vaScript`, PDF 1.7 §7.3.5), so every name token is decoded before it is compared.
 */
export function pdfActiveNames(text: string): string[] {
  const found = new Set<string>();
  // eslint-disable-next-line no-control-regex -- NUL ends a name token as whitespace does
  for (const m of text.matchAll(/\/([^\s/<>[\]()%{}\x00]{1,64})/g)) {
    const name = m[1]!.includes('#')
      ? m[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      : m[1]!;
    if ((PDF_ACTIVE_NAMES as readonly string[]).includes(name)) found.add(name);
  }
  return [...found];
}

/** Bidi controls (embeddings, overrides, isolates, marks): `invoice\u202Efdp.exe` would read as "invoiceexe.pdf". */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** The name to keep: no directories, no control or bidi characters, at most 200 characters. */
export function cleanFilename(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, '')
    .replace(BIDI_CONTROLS, '')
    .trim();
  return base.slice(-200);
}
