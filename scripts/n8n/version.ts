/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * Which n8n the harness runs, and THE place where the harness learns how the n8n lines differ.
 * N8N_VERSION picks the release (scripts/provision-n8n.sh holds the default and the Node each
 * line runs on); everything else reads the line's behaviour from `n8nLine`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const N8N_VERSION_ENV = 'N8N_VERSION';

const PROVISION_SCRIPT = path.resolve(__dirname, '..', 'provision-n8n.sh');

/** The default version, read from the provision script so that it has one source. */
function defaultN8nVersion(): string {
	const script = readFileSync(PROVISION_SCRIPT, 'utf8');
	const match = /^N8N_VERSION="\$\{N8N_VERSION:-([^}]+)\}"$/m.exec(script);
	if (!match) throw new Error(`${PROVISION_SCRIPT} declares no default N8N_VERSION`);
	return match[1];
}

/** The n8n version this run provisions and tests: N8N_VERSION, else the script's default. */
export function requestedN8nVersion(): string {
	return process.env[N8N_VERSION_ENV] || defaultN8nVersion();
}

/** How an n8n line behaves where the harness and the tests meet it (measured on 1.123.81 and 2.41.1). */
export interface N8nLine {
	version: string;
	major: number;
	/**
	 * 2.x publishes (POST /rest/workflows/:id/activate, applied in the background, watched through
	 * /publication-status); 1.x sets the workflow's `active` flag with PATCH /rest/workflows/:id,
	 * which answers once the triggers ran (or failed).
	 */
	publishes: boolean;
	/** 1.x calls every active trigger's checkExists at every start; 2.x only for webhooks it lacks. */
	checksWebhooksAtEveryStart: boolean;
	/** 1.x removes and re-adds an active workflow's webhooks whenever it is saved (delete + create). */
	savingActiveReregisters: boolean;
	/** 1.x's POST /rest/workflows/:id/run wants the workflow itself in the body (`workflowData`). */
	runNeedsWorkflowData: boolean;
	/** 1.x's POST /rest/workflows wants the `active` flag (its column is NOT NULL). */
	createNeedsActiveFlag: boolean;
}

export function n8nLine(version: string = requestedN8nVersion()): N8nLine {
	const major = Number.parseInt(version, 10);
	if (!Number.isInteger(major) || major < 1) throw new Error(`not an n8n version: ${version}`);
	const legacy = major === 1;
	return {
		version,
		major,
		publishes: !legacy,
		checksWebhooksAtEveryStart: legacy,
		savingActiveReregisters: legacy,
		runNeedsWorkflowData: legacy,
		createNeedsActiveFlag: legacy,
	};
}
