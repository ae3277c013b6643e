/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * Jest setup: n8n-core's contexts create n8n's instance settings (a config file with an
 * encryption key) in N8N_USER_FOLDER, by default the user's ~/.n8n. Tests get their own, one per
 * jest worker (workers would race on one file), in the clone's git-ignored `.n8n-test/`.
 */
import path from 'node:path';

process.env.N8N_USER_FOLDER = path.join(
	__dirname,
	'..',
	'..',
	'.n8n-test',
	`worker-${process.env.JEST_WORKER_ID ?? '1'}`,
);
