/** Identifiers the emulator mints: access key ids, secret keys, account ids, request ids. */
import { randomInt, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function upperAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += UPPER_ALNUM[randomInt(UPPER_ALNUM.length)];
  return out;
}

/** 20 upper-case alphanumerics, the AccessKeyId format (§A2 Formats). */
export const mintAccessKeyId = (): string => upperAlnum(20);

/** 40 upper-case alphanumerics, the SecretKey format (no lower case, `/` or `+`, unlike AWS). */
export const mintSecretKey = (): string => upperAlnum(40);

/** A 12-digit account id, as a string (§A3). */
export function mintAccountId(): string {
  let out = String(1 + randomInt(9));
  for (let i = 1; i < 12; i++) out += String(randomInt(10));
  return out;
}

/** `ResponseContext.RequestId`: a UUID. */
export const mintRequestId = (): string => randomUUID();
