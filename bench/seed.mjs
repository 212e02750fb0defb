// Builds a workspace of N existing keys without applying them: the emulators' store files
// (OUTSCALE access keys and DataOS tokens, half each, 5 keys per user) and the matching
// state document, in the shapes the emulators and keyplan write themselves.
import { Buffer } from 'node:buffer';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REGION = 'eu-west-2';
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random string of `n` characters from the OUTSCALE id alphabet. */
function oscId(n) {
  const bytes = randomBytes(n);
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** The bootstrap credentials the bench's emulators accept, and how keyplan is pointed at them. */
export function bootstrap() {
  return {
    oscAccessKey: oscId(20),
    oscSecretKey: oscId(40),
    dataosUser: 'keyplan-bench',
    dataosTokenName: 'keyplan-bench-bootstrap',
    dataosUuid: randomUUID(),
  };
}

/** The DataOS API token string of a stored token (base64 of `<name>.<uuid>`). */
export function dataosToken(boot) {
  return Buffer.from(`${boot.dataosTokenName}.${boot.dataosUuid}`, 'utf8').toString('base64');
}

/**
 * Key i: users hold `perUser` keys each, and alternate between the two providers (so each
 * user is one list call). `kinds: 'outscale'` puts every key on OUTSCALE.
 */
function keyEntry(i, perUser, kinds) {
  const u = Math.floor(i / perUser);
  const kind = kinds === 'oci' ? 'oci' : kinds === 'outscale' || u % 2 === 0 ? 'outscale' : 'dataos';
  return { name: `key-${String(i).padStart(5, '0')}`, kind, user: `user-${u}` };
}

/** keys.yaml for `count` keys against the emulators at `urls` (keys 0..seeded-1 exist already). */
export function configText({ count, urls, statePath, perUser = 5, kinds = 'mixed' }) {
  const lines = [
    'version: 1',
    `state: { backend: ${statePath === 'postgres' ? 'postgres, url_env: KEYPLAN_BENCH_PG' : `local, path: ${statePath}`} }`,
    'providers:',
    `  osc: { type: outscale, endpoint: "${urls.outscale}", region: ${REGION} }`,
    `  dataos: { type: dataos, url: "${urls.dataos}", token_env: KEYPLAN_BENCH_DATAOS_TOKEN }`,
    ...(kinds === 'oci' ? [`  oci: { type: oci, config_file: oci-config, endpoint: "${urls.oci}", max_attempts: 1 }`] : []),
    'keys:',
  ];
  for (let i = 0; i < count; i++) {
    const k = keyEntry(i, perUser, kinds);
    lines.push(`  - name: ${k.name}`);
    if (k.kind === 'oci') {
      const user = `ocid1.user.oc1..bench${k.user.replace(/[^a-z0-9]/g, '')}`;
      lines.push('    kind: oci.api_key', '    provider: oci', `    user: ${user}`, '    passphrase: { env: KEYPLAN_BENCH_PASSPHRASE }');
    } else if (k.kind === 'outscale') {
      lines.push('    kind: outscale.access_key', '    provider: osc', `    user_name: ${k.user}`);
    } else {
      lines.push('    kind: dataos.api_key', '    provider: dataos', `    token_name: ${k.name}`, `    user: ${k.user}`, '    duration: 720h');
    }
    lines.push('    outputs:', `      - { type: file, path: out/${k.name}.secret }`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `dataDir/outscale/store.json`, `dataDir/dataos/store.json` and, when `statePath`
 * is given, the state document, for keys 0..count-1 existing (count 0: an empty account).
 */
export function seedWorkspace({ dataDir, statePath, count, boot, perUser = 5, kinds = 'mixed' }) {
  const now = Date.now();
  const created = new Date(now).toISOString();
  // DataOS rounds expiry to the hour; any fixed future time will do for the seed.
  const expiresAt = Math.ceil((now + 30 * 86_400_000) / 3_600_000) * 3_600_000;
  const osc = {
    formatVersion: 1,
    accountId: '347422712674',
    region: REGION,
    login: 'bench@keyplan.invalid',
    password: oscId(24),
    bootstrapAccessKeyId: boot.oscAccessKey,
    root: { keys: [{ accessKeyId: boot.oscAccessKey, secretKey: boot.oscSecretKey, state: 'ACTIVE', creationDate: now, lastModificationDate: now }] },
    users: {},
  };
  const dataos = {
    formatVersion: 1,
    bootstrap: { userId: boot.dataosUser, tokenName: boot.dataosTokenName },
    users: {
      [boot.dataosUser]: {
        id: boot.dataosUser,
        name: boot.dataosUser,
        type: 'application',
        tags: [`users:id:${boot.dataosUser}`, 'roles:id:operator'],
        tokens: [{ name: boot.dataosTokenName, uuid: boot.dataosUuid, type: 'apikey', createdAt: now, expiresAt: 2111576400000 }],
      },
    },
  };
  const keys = {};
  for (let i = 0; i < count; i++) {
    const k = keyEntry(i, perUser, kinds);
    let current;
    if (k.kind === 'outscale') {
      const id = oscId(20);
      const user = (osc.users[k.user] ??= { keys: [] });
      user.keys.push({
        accessKeyId: id,
        secretKey: oscId(40),
        state: 'ACTIVE',
        creationDate: now,
        lastModificationDate: now,
        tag: `keyplan:${k.name}:${randomBytes(6).toString('hex')}`,
      });
      current = { id, createdAt: created, attributes: { user_name: k.user, expires_in: null, state: 'ACTIVE', access_key_id: id } };
    } else {
      const user = (dataos.users[k.user] ??= { id: k.user, name: k.user, type: 'application', tags: [`users:id:${k.user}`], tokens: [] });
      user.tokens.push({ name: k.name, uuid: randomUUID(), type: 'apikey', createdAt: now, expiresAt });
      current = {
        id: `${k.user}/${k.name}`,
        createdAt: created,
        attributes: { token_name: k.name, duration: '720h', user: k.user, live_name: k.name, user_id: k.user, expiration: new Date(expiresAt).toISOString() },
      };
    }
    const provider = k.kind === 'outscale' ? 'osc' : 'dataos';
    keys[k.name] = { name: k.name, kind: `${k.kind}.${k.kind === 'outscale' ? 'access_key' : 'api_key'}`, provider, owner: k.user, current, retiring: [] };
  }
  for (const [sub, doc] of [
    ['outscale', osc],
    ['dataos', dataos],
  ]) {
    mkdirSync(path.join(dataDir, sub), { recursive: true });
    writeFileSync(path.join(dataDir, sub, 'store.json'), JSON.stringify(doc), { mode: 0o600 });
  }
  if (statePath !== undefined) {
    const state = { version: 1, lineage: randomUUID(), serial: 1, keys, intents: [] };
    writeFileSync(statePath, JSON.stringify(state));
  }
}

/**
 * Writes `dir/oci-config`, an OCI config file profile of the OCI emulator's admin (its key
 * and store in `dataDir/oci/`, made when the emulator first started), for `kinds: 'oci'`.
 */
export function writeOciConfig(dir, dataDir) {
  const store = JSON.parse(readFileSync(path.join(dataDir, 'oci', 'store.json'), 'utf8'));
  const keyFile = path.join(dataDir, 'oci', 'admin-key.pem');
  const profile = [
    '[DEFAULT]',
    `user=${store.adminUser}`,
    `fingerprint=${store.adminFingerprint}`,
    `tenancy=${store.tenancy}`,
    `region=${store.region}`,
    `key_file=${keyFile}`,
  ];
  writeFileSync(path.join(dir, 'oci-config'), `${profile.join('\n')}\n`, { mode: 0o600 });
}
