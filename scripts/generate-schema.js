// Writes schemas/keys.schema.json, the file editors load, from the provider modules in the
// build (dist/): the same schema keyplan validates against. Run by `npm run build`;
// test/config/schema-file.test.ts checks that the committed file is up to date.
// Also writes dist/config/keys-validator.cjs and dist/state/state-validator.cjs: the keys.yaml
// and state schemas compiled by ajv into standalone code, so keyplan does not compile them
// on every run (src/config/schema.ts, src/state/state-schema.ts).
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { buildKeysSchema } from '../dist/config/schema-build.js';
import { keysSchemaAjv, STANDALONE_VALIDATOR_FILE } from '../dist/config/schema.js';
import { FAST_AJV_OPTIONS, FAST_VALIDATOR_FILE, fastKeysSchema } from '../dist/config/schema-fast.js';
import { defaultRegistry } from '../dist/providers/registry.js';
import { STATE_SCHEMA, STATE_VALIDATOR_FILE, stateSchemaAjv } from '../dist/state/state-schema.js';

const schema = buildKeysSchema(defaultRegistry);
writeFileSync(new URL('../schemas/keys.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);

const ajv = keysSchemaAjv({ code: { source: true } });
const validate = ajv.compile(schema);
writeFileSync(new URL(`../dist/config/${STANDALONE_VALIDATOR_FILE}`, import.meta.url), standaloneCode.default(ajv, validate));
// The yes-or-no form a valid file is checked with first (src/config/schema-fast.ts).
const fastAjv = keysSchemaAjv({ ...FAST_AJV_OPTIONS, code: { source: true } });
const validateFast = fastAjv.compile(fastKeysSchema(schema));
writeFileSync(new URL(`../dist/config/${FAST_VALIDATOR_FILE}`, import.meta.url), standaloneCode.default(fastAjv, validateFast));

const stateAjv = stateSchemaAjv({ code: { source: true } });
const validateState = stateAjv.compile(STATE_SCHEMA);
writeFileSync(new URL(`../dist/state/${STATE_VALIDATOR_FILE}`, import.meta.url), standaloneCode.default(stateAjv, validateState));
