/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package: writes the __schema__ folders in dist */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { outputSchemaFiles } from './outputSchemas';

/* Part of `npm run build`: writes the output schemas next to the built nodes. */
const root = path.resolve(__dirname, '../..');
const files = outputSchemaFiles();
for (const dir of new Set(files.map((f) => f.file.split('/__schema__')[0]))) {
	rmSync(path.join(root, dir, '__schema__'), { recursive: true, force: true });
}
for (const { file, schema } of files) {
	const target = path.join(root, file);
	mkdirSync(path.dirname(target), { recursive: true });
	writeFileSync(target, `${JSON.stringify(schema, null, '\t')}\n`);
}
console.log(`output schemas: ${files.length} files`);
