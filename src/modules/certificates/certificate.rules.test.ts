import { describe, expect, it } from 'vitest';
import {
  buildIdentifier,
  canonicalContent,
  certificateTypeCodes,
  certificateTypes,
  columnMismatches,
  isExpired,
  issuerCodeFor,
  mod3736CheckChar,
  normaliseContent,
  parseIdentifier,
  serialFor,
  signatureMessage,
  validityText,
} from './certificate.rules';

// Real public identifiers quoted in the reliability doc, Appendix A (the 4th, a swagger example, does not
// validate there either and is left out).
const REAL_IDS = [
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
  '1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9',
  '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
];

describe('ISO 7064 MOD 37,36 check character', () => {
  it.each(REAL_IDS)('matches the real identifier %s', (id) => {
    const [typeCode, issuer, serial, version, check] = id.slice('1.2.156.3005.2.'.length).split('.');
    expect(mod3736CheckChar(`${typeCode}${issuer}${serial}${version}`)).toBe(check);
    expect(parseIdentifier(id)).toEqual({ typeCode, issuerCode: issuer, serial, version: Number(version) });
  });

  it('is case-insensitive and refuses non-alphanumerics', () => {
    expect(mod3736CheckChar('11100000000013338w011')).toBe(mod3736CheckChar('11100000000013338W011'));
    expect(() => mod3736CheckChar('A-B')).toThrow(RangeError);
  });
});

describe('identifier', () => {
  const parts = {
    typeCode: certificateTypes.construction_permit.typeCode,
    issuerCode: '410100ZJJ',
    serial: '20260000042',
    version: 1,
  };

  it('builds the 1.2.156.3005.2 pattern with a 3-digit version and round-trips', () => {
    const id = buildIdentifier(parts);
    expect(id).toMatch(/^1\.2\.156\.3005\.2\.11100000000013338W901\.410100ZJJ\.20260000042\.001\.[0-9A-Z]$/);
    expect(parseIdentifier(id)).toEqual(parts);
    expect(parseIdentifier(buildIdentifier({ ...parts, version: 2 }))?.version).toBe(2);
  });

  it('detects every single-character substitution in the checked fields', () => {
    const id = buildIdentifier(parts);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const start = '1.2.156.3005.2.'.length;
    let mutations = 0;
    for (let i = start; i < id.length; i++) {
      if (id[i] === '.') continue;
      for (const c of alphabet) {
        if (c === id[i]) continue;
        const mutated = id.slice(0, i) + c + id.slice(i + 1);
        // A version of 000 is refused on its own; everything else must fail the check.
        expect(parseIdentifier(mutated), mutated).toBeNull();
        mutations++;
      }
    }
    expect(mutations).toBeGreaterThan(1000);
  });

  it('refuses malformed identifiers', () => {
    for (const bad of [
      '',
      'abc',
      '1.2.156.3005.2.A.B.C.001',
      '1.2.156.3005.2.A.B.C.1.X',
      '1.2.156.3005.2.a.b.c.001.X',
    ]) {
      expect(parseIdentifier(bad)).toBeNull();
    }
    expect(() => buildIdentifier({ ...parts, version: 1000 })).toThrow(RangeError);
    expect(() => buildIdentifier({ ...parts, serial: '2026-1' })).toThrow(RangeError);
  });

  it('every certificate type has a 21-character type code (definer credit code + 3 digits)', () => {
    for (const t of certificateTypeCodes) expect(certificateTypes[t].typeCode).toMatch(/^[0-9A-Z]{18}\d{3}$/);
    expect(new Set(certificateTypeCodes.map((t) => certificateTypes[t].typeCode)).size).toBe(
      certificateTypeCodes.length,
    );
  });

  it('derives the issuer code and serial', () => {
    expect(issuerCodeFor('zrzy')).toBe('410100ZRZY');
    expect(issuerCodeFor('zrzy', '11410100MB1234567X')).toBe('11410100MB1234567X');
    expect(serialFor(2026, 42)).toBe('20260000042');
  });
});

describe('canonical content', () => {
  it('is key-order independent and survives a jsonb round trip', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: '中文' }, u: undefined };
    const b = { a: { c: '中文', d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalContent(a)).toBe(canonicalContent(b));
    expect(canonicalContent(a)).toBe('{"a":{"c":"中文","d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalContent(normaliseContent(a))).toBe(canonicalContent(a));
    expect(new TextDecoder().decode(signatureMessage(b))).toBe(canonicalContent(a));
  });

  it('finds columns edited apart from the signed content', () => {
    const issuedAt = new Date('2026-03-02T01:00:00Z');
    const row = {
      id: 'i',
      identifier: 'x',
      type: 'construction_permit',
      title: 't',
      holderName: 'h',
      holderCode: 'c',
      issuedAt,
      validUntil: '9999-01-01',
      simulated: false,
      projectId: 'p',
      taskId: 'k',
    };
    const content = { ...row, holder: { name: 'h', code: 'c' }, issuedAt: issuedAt.toISOString() };
    expect(columnMismatches(row, content)).toEqual([]);
    expect(columnMismatches({ ...row, holderName: 'other', simulated: true }, content)).toEqual([
      'holderName',
      'simulated',
    ]);
  });
});

describe('validity', () => {
  it('is inclusive of the last day and 9999-01-01 never expires', () => {
    expect(isExpired('2026-03-02', '2026-03-02')).toBe(false);
    expect(isExpired('2026-03-01', '2026-03-02')).toBe(true);
    expect(isExpired('9999-01-01', '9999-12-31')).toBe(false);
    expect(validityText('9999-01-01')).toBe('长期有效');
    expect(validityText('2027-01-01')).toBe('2027-01-01');
  });
});
