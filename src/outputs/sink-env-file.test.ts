import { describe, expect, it } from 'vitest';
import { quoteEnvValue, readEnvFileSecrets, toUpperSnake } from './sink-env-file.js';

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

describe('env_file read-back', () => {
  it('reads back every secret as quoted, PEM lines and quotes included, and nothing for a missing name', () => {
    const pem = 'line one\nline "two" $HOME\\end';
    const text = ['# managed by keyplan: ci', `CI_PRIVATE_KEY=${quoteEnvValue(pem)}`, `CI_TOKEN=${quoteEnvValue("it's")}`, 'CI_USER=bare'].join('\n');
    const spec = { type: 'env_file', path: 'x.env', prefix: 'CI_' };
    const found = readEnvFileSecrets(spec, text, ['private_key', 'token']);
    expect(found?.['private_key']?.reveal()).toBe(pem);
    expect(found?.['token']?.reveal()).toBe("it's");
    expect(readEnvFileSecrets(spec, text, ['secret_key'])).toBeUndefined();
  });
});
