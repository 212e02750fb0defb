// Writes schemas/keys.schema.json, the file editors load, from the provider modules in the
// build (dist/): the same schema keyplan validates against. Run by `npm run build`;
// test/config/schema-file.test.ts checks that the committed file is up to date.
// Also writes dist/config/keys-validator.cjs: that schema compiled by ajv into standalone
// code, so keyplan does not compile the schema on every run (src/config/schema.ts).
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { buildKeysSchema } from '../dist/config/schema-build.js';
import { keysSchemaAjv, STANDALONE_VALIDATOR_FILE } from '../dist/config/schema.js';
import { defaultRegistry } from '../dist/providers/registry.js';

const schema = buildKeysSchema(defaultRegistry);
writeFileSync(new URL('../schemas/keys.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);

const ajv = keysSchemaAjv({ code: { source: true } });
const validate = ajv.compile(schema);
writeFileSync(new URL(`../dist/config/${STANDALONE_VALIDATOR_FILE}`, import.meta.url), standaloneCode.default(ajv, validate));
