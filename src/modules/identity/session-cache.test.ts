import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache';

const entry = (userId: string, enterpriseId: string | null = null) => ({
  value: userId,
  userId,
  enterpriseId,
  lastSeenAt: new Date(0),
  expiresAt: new Date(1e13),
});

describe('SessionCache', () => {
  it('serves nothing until its change channel is open, and forgets everything when it is lost', () => {
    const c = new SessionCache<string>(5000, 10);
    c.set('a', entry('u1'));
    expect(c.get('a')).toBeUndefined();
    c.setListening(true);
    c.set('a', entry('u1'));
    expect(c.get('a')?.value).toBe('u1');
    c.setListening(false);
    c.setListening(true);
    expect(c.get('a')).toBeUndefined();
  });

  it('trusts an entry for its time limit only', () => {
    let now = 0;
    const c = new SessionCache<string>(5000, 10, () => now);
    c.setListening(true);
    c.set('a', entry('u1'));
    now = 4999;
    expect(c.get('a')).toBeDefined();
    now = 5000;
    expect(c.get('a')).toBeUndefined();
  });

  it('is bounded: the oldest entry goes first', () => {
    const c = new SessionCache<string>(5000, 2);
    c.setListening(true);
    c.set('a', entry('u1'));
    c.set('b', entry('u2'));
    c.set('c', entry('u3'));
    expect(c.size).toBe(2);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('c')).toBeDefined();
  });

  it('applies the database notices: a token, every session of a user, of an enterprise', () => {
    const c = new SessionCache<string>(5000, 10);
    c.setListening(true);
    c.set('a', entry('u1'));
    c.set('b', entry('u1', 'e1'));
    c.set('c', entry('u2', 'e1'));
    c.set('d', entry('u3'));
    c.applyNotice('t:d');
    expect(c.get('d')).toBeUndefined();
    c.applyNotice('u:u1');
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toBeUndefined();
    expect(c.get('c')).toBeDefined();
    c.applyNotice('e:e1');
    expect(c.get('c')).toBeUndefined();
  });
});
