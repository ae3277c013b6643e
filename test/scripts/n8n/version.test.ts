/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { N8N_VERSION_ENV, n8nLine, requestedN8nVersion } from '../../../scripts/n8n/version';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'provision-n8n.sh');

/** What the provision script itself resolves N8N_VERSION to, without installing anything. */
function scriptDefault(): string {
	const script = `set -euo pipefail; unset N8N_VERSION; eval "$(grep -m1 '^N8N_VERSION=' '${SCRIPT}')"; echo "$N8N_VERSION"`;
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test of a dev script
	return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim();
}

describe('the n8n version the harness targets', () => {
	const saved = process.env[N8N_VERSION_ENV];
	afterEach(() => {
		if (saved === undefined) delete process.env[N8N_VERSION_ENV];
		else process.env[N8N_VERSION_ENV] = saved;
	});

	test("without N8N_VERSION it is the provision script's own default", () => {
		delete process.env[N8N_VERSION_ENV];
		expect(requestedN8nVersion()).toBe(scriptDefault());
		expect(requestedN8nVersion()).toMatch(/^2\.\d+\.\d+$/);
	});

	test('N8N_VERSION picks it', () => {
		process.env[N8N_VERSION_ENV] = '1.123.81';
		expect(requestedN8nVersion()).toBe('1.123.81');
	});

	test('1.x activates, checks at every start and re-registers on save; 2.x publishes', () => {
		expect(n8nLine('1.123.81')).toMatchObject({
			major: 1,
			publishes: false,
			checksWebhooksAtEveryStart: true,
			savingActiveReregisters: true,
		});
		expect(n8nLine('2.41.1')).toMatchObject({
			major: 2,
			publishes: true,
			checksWebhooksAtEveryStart: false,
			savingActiveReregisters: false,
		});
		expect(() => n8nLine('unknown')).toThrow(/not an n8n version/);
	});
});
