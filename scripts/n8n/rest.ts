/**
 * The slice of n8n's internal REST API (the one its editor uses, under /rest) the harness needs.
 * Shapes were read from n8n 2.41.1's controllers and DTOs (dist/controllers/owner.controller.js,
 * dist/workflows/workflows.controller.js, dist/executions/executions.controller.js,
 * dist/credentials/credentials.controller.js, @n8n/api-types) and checked against a running n8n
 * 2.41.1 and 1.123.81; where 1.x differs, `N8nLine` (version.ts) says so and only this class acts
 * on it. Successful answers are wrapped as `{ data: ... }`; errors are `{ code, message, ... }`.
 */
import { parseFlatted } from './flatted';
import { httpRequest, sleep, type HttpResponse } from './http';
import { n8nLine, type N8nLine } from './version';

export class N8nRestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} -> ${status}: ${body.slice(0, 500)}`);
	}
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
}

export interface WorkflowJson {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

export interface Workflow extends WorkflowJson {
	id: string;
	versionId: string;
	active: boolean;
	activeVersionId: string | null;
	staticData?: unknown;
}

export interface TriggerPublicationStatus {
	nodeId: string;
	status: string;
	errorMessage: string | null;
}

/** GET /rest/workflows/<id>/publication-status (n8n 2.x publishes through an outbox, asynchronously). */
export interface PublicationStatus {
	status: 'in_progress' | 'published' | 'partial' | 'failed' | 'not_published';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: TriggerPublicationStatus[];
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface NodeRun {
	startTime?: number;
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: {
		main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> | null>;
	};
}

export interface ExecutionDetail extends ExecutionSummary {
	/** The whole answer of GET /rest/executions/<id> as text (data, workflowData, ...): search it for leaks. */
	rawText: string;
	data: {
		resultData?: {
			runData?: Record<string, NodeRun[]>;
			error?: { message?: string };
			lastNodeExecuted?: string;
		};
	};
}

const UNSETTLED = new Set(['new', 'running', 'waiting', 'unknown']);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class N8nRest {
	private cookies = new Map<string, string>();

	constructor(
		readonly baseUrl: string,
		readonly line: N8nLine = n8nLine(),
	) {}

	get isLoggedIn(): boolean {
		return this.cookies.has('n8n-auth');
	}

	/** One call; answers any status (for tests that expect failures). */
	async raw(method: string, path: string, body?: unknown): Promise<HttpResponse> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.cookies.size > 0) {
			headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		}
		const res = await httpRequest(this.baseUrl + path, {
			method,
			headers,
			body,
			timeoutMs: 60_000,
		});
		const setCookie = res.headers['set-cookie'] ?? [];
		for (const line of setCookie) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
		}
		return res;
	}

	/** A call that must succeed; returns the `data` of the answer. */
	async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await this.raw(method, path, body);
		if (res.status < 200 || res.status >= 300)
			throw new N8nRestError(method, path, res.status, res.text);
		const parsed = JSON.parse(res.text) as unknown;
		return (isRecord(parsed) && 'data' in parsed ? parsed.data : parsed) as T;
	}

	/** POST /rest/owner/setup on a fresh instance; the answer sets the `n8n-auth` cookie. */
	async setupOwner(owner: Owner): Promise<void> {
		await this.call('POST', '/rest/owner/setup', owner);
	}

	/** POST /rest/login `{ emailOrLdapLoginId, password }`. */
	async login(email: string, password: string): Promise<void> {
		await this.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	/** Sets up the owner on a fresh instance, else logs in as it. Returns true when it was created. */
	async ensureOwner(owner: Owner): Promise<boolean> {
		const res = await this.raw('POST', '/rest/owner/setup', owner);
		if (res.status >= 200 && res.status < 300) return true;
		await this.login(owner.email, owner.password);
		return false;
	}

	async createCredential(input: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<{ id: string; name: string }> {
		return await this.call('POST', '/rest/credentials', input);
	}

	/** PATCH /rest/credentials/<id> `{ name, type, data }` (the data is replaced). */
	async updateCredential(
		id: string,
		input: { name: string; type: string; data: Record<string, unknown> },
	): Promise<void> {
		await this.call('PATCH', `/rest/credentials/${id}`, input);
	}

	/**
	 * Changes some fields of a credential the way the editor's credential modal does: it loads the
	 * credential (secrets come back blanked), changes the fields and sends everything back, and
	 * n8n restores the blanked values. Hidden fields (a renewed session, a sealing key) survive.
	 */
	async editCredential(id: string, changes: Record<string, unknown>): Promise<void> {
		const current = await this.call<{ name: string; type: string; data?: Record<string, unknown> }>(
			'GET',
			`/rest/credentials/${id}?includeData=true`,
		);
		await this.call('PATCH', `/rest/credentials/${id}`, {
			name: current.name,
			type: current.type,
			data: { ...(current.data ?? {}), ...changes },
		});
	}

	async listCredentials(): Promise<Array<{ id: string; name: string; type: string }>> {
		return await this.call('GET', '/rest/credentials');
	}

	async createWorkflow(json: WorkflowJson): Promise<Workflow> {
		const body = this.line.createNeedsActiveFlag ? { active: false, ...json } : json;
		return await this.call('POST', '/rest/workflows', body);
	}

	async listWorkflows(): Promise<Workflow[]> {
		return await this.call('GET', '/rest/workflows');
	}

	async getWorkflow(id: string): Promise<Workflow> {
		return await this.call('GET', `/rest/workflows/${id}`);
	}

	/** The workflow exactly as GET /rest/workflows/<id> answers it (what an editor export sees). */
	async exportWorkflow(id: string): Promise<string> {
		const res = await this.raw('GET', `/rest/workflows/${id}`);
		if (res.status !== 200)
			throw new N8nRestError('GET', `/rest/workflows/${id}`, res.status, res.text);
		return res.text;
	}

	async publicationStatus(id: string): Promise<PublicationStatus> {
		if (!this.line.publishes) throw new Error(`n8n ${this.line.version} has no publication status`);
		return await this.call('GET', `/rest/workflows/${id}/publication-status`);
	}

	/**
	 * Publishes (2.x) or activates (1.x) the workflow and answers in 2.x's publication-status shape.
	 * 2.x: POST /rest/workflows/<id>/activate `{ versionId }` answers at once and applies the
	 * publication in the background (checkExists/create run then), so this waits until
	 * publication-status leaves in_progress. 1.x: see `setActive`.
	 */
	async activate(
		id: string,
		{ timeoutMs = 90_000 }: { timeoutMs?: number } = {},
	): Promise<PublicationStatus> {
		if (!this.line.publishes) return await this.setActive(id, true);
		const { versionId } = await this.getWorkflow(id);
		await this.call('POST', `/rest/workflows/${id}/activate`, { versionId });
		return await this.settledPublication(id, timeoutMs, (s) => s.status !== 'not_published');
	}

	/**
	 * Unpublishes (2.x: POST /rest/workflows/<id>/deactivate `{}`) or deactivates (1.x); the
	 * trigger's delete runs.
	 */
	async deactivate(
		id: string,
		{ timeoutMs = 90_000 }: { timeoutMs?: number } = {},
	): Promise<PublicationStatus> {
		if (!this.line.publishes) return await this.setActive(id, false);
		await this.call('POST', `/rest/workflows/${id}/deactivate`, {});
		return await this.settledPublication(id, timeoutMs, (s) => s.status === 'not_published');
	}

	/**
	 * Saves changes to a workflow: PATCH /rest/workflows/<id> with its current versionId. On 1.x
	 * saving an active workflow re-adds its triggers (delete + create); 2.x saves a draft.
	 */
	async saveWorkflow(id: string, changes: Partial<WorkflowJson>): Promise<Workflow> {
		const { versionId } = await this.getWorkflow(id);
		return await this.call('PATCH', `/rest/workflows/${id}`, { ...changes, versionId });
	}

	/**
	 * 1.x: PATCH /rest/workflows/<id> `{ active, versionId }`. It answers once the triggers'
	 * webhook methods ran; a trigger that fails to activate makes it answer 400 with the reason and
	 * leave the workflow inactive. Reported as 2.x's publication status would: 1.x activates all
	 * or nothing, so every webhook node of the workflow shares the outcome.
	 */
	private async setActive(id: string, active: boolean): Promise<PublicationStatus> {
		const before = await this.getWorkflow(id);
		const path = `/rest/workflows/${id}`;
		const res = await this.raw('PATCH', path, { active, versionId: before.versionId });
		const webhookNodes = before.nodes.filter(
			(n) => n.webhookId !== undefined && n.disabled !== true,
		);
		if (res.status >= 200 && res.status < 300) {
			const after = await this.getWorkflow(id);
			if (after.active !== active) throw new N8nRestError('PATCH', path, res.status, res.text);
			return {
				status: active ? 'published' : 'not_published',
				liveVersionId: active ? after.versionId : null,
				pendingVersionId: null,
				triggers: active
					? webhookNodes.map((n) => ({ nodeId: n.id, status: 'activated', errorMessage: null }))
					: [],
			};
		}
		if (!active || res.status !== 400) throw new N8nRestError('PATCH', path, res.status, res.text);
		const { message } = JSON.parse(res.text) as { message?: string };
		return {
			status: 'failed',
			liveVersionId: null,
			pendingVersionId: null,
			triggers: webhookNodes.map((n) => ({
				nodeId: n.id,
				status: 'failed',
				errorMessage: message ?? res.text,
			})),
		};
	}

	private async settledPublication(
		id: string,
		timeoutMs: number,
		done: (s: PublicationStatus) => boolean,
	): Promise<PublicationStatus> {
		const deadline = Date.now() + timeoutMs;
		let last: PublicationStatus | undefined;
		while (Date.now() < deadline) {
			last = await this.publicationStatus(id);
			if (last.status !== 'in_progress' && done(last)) return last;
			await sleep(200);
		}
		throw new Error(
			`Publication of workflow ${id} did not settle in ${timeoutMs} ms: ${JSON.stringify(last)}`,
		);
	}

	/** GET /rest/executions?filter={"workflowId":...}: newest first. */
	async listExecutions(workflowId: string, limit = 100): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.call<{ results: ExecutionSummary[] }>(
			'GET',
			`/rest/executions?filter=${filter}&limit=${limit}`,
		);
		return page.results;
	}

	/**
	 * Waits until the workflow has at least `count` executions and none of them is still running;
	 * returns them oldest first.
	 */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 60_000,
	): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		let last: ExecutionSummary[] = [];
		while (Date.now() < deadline) {
			last = await this.listExecutions(workflowId);
			if (last.length >= count && last.every((e) => !UNSETTLED.has(e.status)))
				return [...last].reverse();
			await sleep(250);
		}
		throw new Error(
			`Workflow ${workflowId}: expected ${count} settled executions within ${timeoutMs} ms, saw ${JSON.stringify(last.map((e) => [e.id, e.status]))}`,
		);
	}

	/** GET /rest/executions/<id>, with its data unflattened. */
	async getExecution(id: string): Promise<ExecutionDetail> {
		const path = `/rest/executions/${id}`;
		const res = await this.raw('GET', path);
		if (res.status !== 200) throw new N8nRestError('GET', path, res.status, res.text);
		const parsed = JSON.parse(res.text) as { data?: Record<string, unknown> };
		const exec = parsed.data ?? {};
		const data = typeof exec.data === 'string' ? parseFlatted(exec.data) : exec.data;
		return {
			...(exec as unknown as ExecutionSummary),
			rawText: res.text,
			data: (isRecord(data) ? data : {}) as ExecutionDetail['data'],
		};
	}

	/** POST /rest/workflows/<id>/run: a manual run, as the editor's "Execute workflow" does. */
	async runManually(id: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const full = this.line.runNeedsWorkflowData
			? { workflowData: await this.getWorkflow(id), ...body }
			: body;
		return await this.call('POST', `/rest/workflows/${id}/run`, full);
	}
}

/** The items a node put out in one execution (first run, first output). */
export function nodeOutput(
	exec: ExecutionDetail,
	nodeName: string,
): Array<Record<string, unknown>> {
	const runs = exec.data.resultData?.runData?.[nodeName] ?? [];
	const main = runs[0]?.data?.main?.[0] ?? [];
	return main.map((item) => item.json);
}
