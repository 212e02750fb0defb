import { describe, expect, it } from 'vitest';
import { quoteEnvValue, toUpperSnake } from './sink-env-file.js';

describe('env_file naming and quoting', () => {
  it.each([
    ['keyId', 'KEY_ID'],
    ['private-key', 'PRIVATE_KEY'],
    ['access_key_id', 'ACCESS_KEY_ID'],
    ['PEMFile', 'PEM_FILE'],
    ['secretKey2', 'SECRET_KEY2'],
    ['2fa', '_2FA'],
    ['user', 'USER'],
  ])('%s → %s', (name, expected) => {
    expect(toUpperSnake(name)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a+b/c=', 'a+b/c='],
    ['', ''],
    ['two words', "'two words'"],
    ['#hash', "'#hash'"],
    ['$HOME', "'$HOME'"],
    ["it's", '"it\'s"'],
    ['a\nb', '"a\\nb"'],
    ['c:\\x\r\n"q"', '"c:\\\\x\\r\\n\\"q\\""'],
  ])('%j is written as %s', (value, expected) => {
    expect(quoteEnvValue(value)).toBe(expected);
  });
});
