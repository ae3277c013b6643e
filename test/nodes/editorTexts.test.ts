/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: reads the codex files and README, evaluates subtitle expressions */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getNodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { DOCUMENTATION_URL } from '../../nodes/shared/api';

/* What a user reads in the editor: panel entries, labels, subtitles, documentation links. */
const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	name: string;
	homepage?: string;
	repository?: unknown;
};
const action = new WhatsAbleWebhooks().description;
const trigger = new WhatsAbleWebhooksTrigger().description;

type Codex = {
	node: string;
	categories: string[];
	resources: Record<string, Array<{ url: string }>>;
};
function codexOf(folder: string, file: string): Codex {
	return JSON.parse(readFileSync(path.join(root, 'nodes', folder, file), 'utf8')) as Codex;
}
const codexes: Array<[INodeTypeDescription, Codex]> = [
	[action, codexOf('WhatsAbleWebhooks', 'WhatsAbleWebhooks.node.json')],
	[trigger, codexOf('WhatsAbleWebhooksTrigger', 'WhatsAbleWebhooksTrigger.node.json')],
];

/** GitHub's (and npm's) heading anchors, as the README's headings produce them. */
function readmeAnchors(): Set<string> {
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const headings = readme.match(/^#{1,6} .+$/gm) ?? [];
	return new Set(
		headings.map((h) =>
			h
				.replace(/^#+ /, '')
				.toLowerCase()
				.replace(/[^\p{L}\p{N} _-]/gu, '')
				.replace(/ /g, '-'),
		),
	);
}

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		p,
		...allProperties(
			(p.options ?? []).filter((o): o is INodeProperties => 'displayName' in o && 'type' in o),
		),
	]);
}

function evaluateSubtitle(expression: string, parameters: Record<string, unknown>): string {
	const code = expression.replace(/^=\{\{([\s\S]*)\}\}$/, '$1');
	return String(new Function('$parameter', `return (${code});`)(parameters));
}

describe('the nodes panel', () => {
	test('the trigger merges into the action node as one app (n8n drops "Trigger" from the name)', () => {
		expect(trigger.name.replace('Trigger', '')).toBe(action.name);
		expect(trigger.group).toContain('trigger');
		expect(trigger.displayName).toBe('WhatsAble Trigger');
	});

	test('the trigger lists one entry per event, each named and described', () => {
		// n8n lists the options of the trigger's "Events" property as the app's triggers.
		const events = trigger.properties.find((p) => p.displayName === 'Events');
		const entries = (events?.options ?? []) as Array<{ action?: string; description?: string }>;
		expect(entries.map((e) => e.action)).toEqual([
			'On incoming WhatsApp message',
			'On outgoing WhatsApp message',
		]);
		for (const e of entries) expect(e.description).toBeTruthy();
	});

	test('each codex names its node, has categories, and its documentation links resolve to README headings', () => {
		const anchors = readmeAnchors();
		for (const [description, codex] of codexes) {
			expect(codex.node).toBe(`${pkg.name}.${description.name}`);
			expect(codex.categories.length).toBeGreaterThan(0);
			const urls = Object.values(codex.resources).flatMap((list) => list.map((r) => r.url));
			urls.push(new WhatsAbleWebhooksApi().documentationUrl);
			for (const url of urls) {
				const [base, anchor] = url.split('#');
				expect(base).toBe(DOCUMENTATION_URL);
				expect(anchors).toContain(anchor);
			}
		}
	});

	test('package.json names no repository or organisation that is not this project', () => {
		expect(pkg.homepage).toBe(DOCUMENTATION_URL);
		expect(pkg.repository).toBeUndefined();
		expect(DOCUMENTATION_URL).toBe(`https://www.npmjs.com/package/${pkg.name}`);
	});
});

describe('labels and subtitles', () => {
	test('no parameter label is longer than the editor shows uncut (30 characters)', () => {
		for (const description of [action, trigger]) {
			const long = allProperties(description.properties)
				.filter((p) => p.type !== 'notice')
				.map((p) => p.displayName)
				.filter((name) => name.length > 30);
			expect(long).toEqual([]);
		}
	});

	test('the canvas subtitles show labels, not raw values', () => {
		expect(
			evaluateSubtitle(String(action.subtitle), { operation: 'getAll', resource: 'webhook' }),
		).toBe('Get many webhooks');
		expect(evaluateSubtitle(String(trigger.subtitle), { events: ['incoming', 'outgoing'] })).toBe(
			'Incoming Messages, Outgoing Messages',
		);
	});

	test('the Respond option says which Respond to Webhook version to use and why', () => {
		const respond = trigger.properties.find((p) => p.name === 'respond');
		const option = (respond?.options ?? []).find(
			(o) => 'value' in o && o.value === 'responseNode',
		) as { description?: string };
		expect(option.description).toMatch(/version 1/);
		expect(option.description).toMatch(/Webhook, Form and Chat triggers/);
	});

	test('the trigger tells the user, in the node, that a test listen also runs the published workflow', () => {
		const notices = trigger.properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
		expect(notices.some((n) => /test event/.test(n) && /published/.test(n))).toBe(true);
		const panel = trigger.triggerPanel;
		expect(typeof panel === 'object' && panel.executionsHelp).toMatchObject({
			active: expect.stringContaining('published workflow runs too'),
		});
	});
});

describe('the action node as an AI tool', () => {
	const defaults = (description: INodeTypeDescription) =>
		getNodeParameters(description.properties, {}, true, false, { typeVersion: 1 }, description);

	test('starts on Get Many, the harmless operation', () => {
		// n8n derives the tool variant by appending "Tool" to the node's name.
		const tool = { ...action, name: `${action.name}Tool` };
		expect(defaults(tool)?.operation).toBe('getAll');
	});

	test('the node itself still starts on Create', () => {
		expect(defaults(action)?.operation).toBe('create');
	});
});
