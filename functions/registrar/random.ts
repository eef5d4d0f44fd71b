import { randomBytes as nodeRandomBytes } from 'node:crypto';

/** A source of cryptographically random bytes. */
export type RandomBytes = (size: number) => Uint8Array;

/** Random bytes from node:crypto. */
export const cryptoRandomBytes: RandomBytes = (size) =>
  new Uint8Array(nodeRandomBytes(size));

const alphabet =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Bytes at or above this are skipped so that every character is as likely. */
const unbiasedLimit = 256 - (256 % alphabet.length);

/** `length` random characters from `[A-Za-z0-9]`, without modulo bias. */
export function randomAlphanumeric(
  random: RandomBytes,
  length: number,
): string {
  let result = '';
  while (result.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < unbiasedLimit && result.length < length) {
        result += alphabet[byte % alphabet.length];
      }
    }
  }
  return result;
}

/** 16 random bytes, base64url: the salt of a registration secret. */
export function randomSalt(random: RandomBytes): string {
  return Buffer.from(random(16)).toString('base64url');
}
