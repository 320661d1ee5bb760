import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText, jsonDepthExceeds } from './text-guard';

describe('storable text', () => {
  it('refuses NUL and lone surrogates, keeps pairs (emoji, rare CJK) and ordinary text', () => {
    expect(isStorableText('郑州市 😀 𠀀 abc')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\ud800')).toBe(false);
    expect(isStorableText('\udc00a')).toBe(false);
    expect(isStorableText('\udc00\ud800')).toBe(false); // reversed pair
  });

  it('names the first bad field by its path, keys included', () => {
    expect(findUnstorableText({ name: 'ok', form: { x: { y: 'a\u0000' } } }, 'body')).toBe('body.form.x.y');
    expect(findUnstorableText({ list: ['ok', 'b\ud800'] }, 'body')).toBe('body.list.1');
    expect(findUnstorableText({ ['k\u0000']: 1 }, 'body')).toBe('body.k\uFFFD');
    expect(findUnstorableText({ a: 1, b: [true, null, 'x'] }, 'body')).toBeNull();
    expect(findUnstorableText('a\u0000', 'body')).toBe('body');
  });

  it('walks a 100,000-deep value without recursion', () => {
    let v: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(findUnstorableText(v, 'body')).toMatch(/^body(\.0)+$/);
  });
});

describe('JSON depth on the raw text', () => {
  it('counts brackets outside strings only, escapes respected', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[[[' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ a: 'x\\"[[[[', b: '"{{{{' }), 2)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(33) + ']'.repeat(33), 32)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(32) + ']'.repeat(32), 32)).toBe(false);
    // Siblings do not add up.
    expect(jsonDepthExceeds('[' + '[],'.repeat(1000) + '[]]', 2)).toBe(false);
  });
});
