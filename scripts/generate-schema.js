// Writes schemas/keys.schema.json, the file editors load, from the provider modules in the
// build (dist/): the same schema keyplan validates against. Run by `npm run build`;
// test/config/schema-file.test.ts checks that the committed file is up to date.
import { writeFileSync } from 'node:fs';
import { buildKeysSchema } from '../dist/config/schema-build.js';
import { defaultRegistry } from '../dist/providers/registry.js';

const target = new URL('../schemas/keys.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(buildKeysSchema(defaultRegistry), null, 2)}\n`);
