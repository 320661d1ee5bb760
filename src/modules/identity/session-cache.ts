/**
 * A short per-process cache of resolved sessions (issue 10 §8): most requests then pay no session query.
 * Sessions still live in the database; an entry is trusted for at most `ttlMs` of wall time and is
 * dropped at once when the database announces a change (0550: NOTIFY on log-out, disabling, role or
 * department change, password reset, lifted restriction — from any process, even a hand edit).
 * While this process is not listening (connection lost, not yet started) nothing is served from it.
 * Idle and absolute expiry are still judged on every request against the clock: an entry that looks
 * expired is never acted on — the caller reads the database again.
 */
export interface CachedSession<T> {
  value: T;
  userId: string;
  enterpriseId: string | null;
  /** The database's last_seen_at as this process last knew it. */
  lastSeenAt: Date;
  expiresAt: Date;
}

interface Entry<T> extends CachedSession<T> {
  storedAt: number;
}

export const SESSION_CHANNEL = 'zz_session';

export class SessionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Only while the change channel is open may entries be served. */
  private listening = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  get enabled() {
    return this.listening && this.ttlMs > 0 && this.maxEntries > 0;
  }

  /** Called when the change channel opens (true) or is lost (false: everything is forgotten). */
  setListening(on: boolean) {
    this.listening = on;
    if (!on) this.entries.clear();
  }

  get(tokenHash: string): CachedSession<T> | undefined {
    if (!this.enabled) return undefined;
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (this.monotonicNow() - e.storedAt >= this.ttlMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return e;
  }

  set(tokenHash: string, s: CachedSession<T>) {
    if (!this.enabled) return;
    this.entries.delete(tokenHash);
    // Map keeps insertion order: the first key is the oldest entry.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { ...s, storedAt: this.monotonicNow() });
  }

  /** The idle timer was refreshed in the database by this process. */
  touched(tokenHash: string, at: Date) {
    const e = this.entries.get(tokenHash);
    if (e) e.lastSeenAt = at;
  }

  forgetToken(tokenHash: string) {
    this.entries.delete(tokenHash);
  }

  forgetUser(userId: string) {
    for (const [k, e] of this.entries) if (e.userId === userId) this.entries.delete(k);
  }

  forgetEnterprise(enterpriseId: string) {
    for (const [k, e] of this.entries) if (e.enterpriseId === enterpriseId) this.entries.delete(k);
  }

  clear() {
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }

  /** A NOTIFY payload from 0550: `t:<token hash>`, `u:<user id>` or `e:<enterprise id>`. */
  applyNotice(payload: string) {
    const kind = payload.slice(0, 2);
    const id = payload.slice(2);
    if (kind === 't:') this.forgetToken(id);
    else if (kind === 'u:') this.forgetUser(id);
    else if (kind === 'e:') this.forgetEnterprise(id);
    else this.clear();
  }
}
