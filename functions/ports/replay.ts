/**
 * The replay guard of security.md section 3: a `(keyid, nonce)` pair is
 * accepted once within the clock-skew window.
 *
 * Entries are kept only until they could no longer pass the freshness
 * check anyway, so the guard's size is bounded by the request rate times
 * the window. It must survive what a replay could exploit: a restart of
 * the local server (file-backed) or another Lambda instance (DynamoDB).
 */
export interface ReplayGuard {
  /**
   * Records `(keyid, nonce)` as used until `until`, atomically.
   *
   * @param now server time, epoch milliseconds; entries whose `until` is
   *   at or before it are gone.
   * @returns `true` when the pair was free (the request may go on),
   *   `false` when it was recorded before and is still remembered.
   */
  claim(
    keyid: string,
    nonce: string,
    until: number,
    now: number,
  ): Promise<boolean>;
}
