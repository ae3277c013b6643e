/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package: copies screenshots */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/*
 * `npm run docs:screenshots`: after the browser test (`npm run test:ui`) has written its
 * screenshots to test-output/ui/, copies the three the README shows into docs/images/.
 */
const root = path.resolve(__dirname, '..');
const FROM = path.join(root, 'test-output/ui');
const TO = path.join(root, 'docs/images');

/** Browser-test screenshot → README image. */
export const README_IMAGES: Record<string, string> = {
	'02-trigger-parameters.png': 'trigger-parameters.png',
	'05-delivery-output.png': 'delivery-output.png',
	'04-credential-wrong-password.png': 'credential-form.png',
};

mkdirSync(TO, { recursive: true });
for (const [from, to] of Object.entries(README_IMAGES)) {
	const source = path.join(FROM, from);
	if (!existsSync(source)) throw new Error(`${source} is missing: run npm run test:ui first`);
	copyFileSync(source, path.join(TO, to));
	console.log(`docs/images/${to}`);
}
