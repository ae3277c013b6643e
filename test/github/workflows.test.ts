/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package: reads the GitHub workflows */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/* The workflows cannot run here; this checks that they parse and do what the README promises. */
const root = path.resolve(__dirname, '../..');
type Step = {
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
};
type Service = { image: string; env?: Record<string, string>; ports?: string[] };
type Job = {
	'runs-on': string;
	'timeout-minutes'?: number;
	services?: Record<string, Service>;
	steps: Step[];
};
type Workflow = {
	name: string;
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
};

function workflow(file: string): Workflow {
	// prettyErrors: a syntax error names the line.
	return parse(readFileSync(path.join(root, '.github/workflows', file), 'utf8'), {
		prettyErrors: true,
		strict: true,
	}) as Workflow;
}
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);
const runs = (w: Workflow) => steps(w).map((s) => s.run ?? '');

describe('GitHub workflows', () => {
	const ci = workflow('ci.yml');
	const release = workflow('release.yml');

	test('CI runs .ci/run on pushes and pull requests, within 60 minutes', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(runs(ci)).toContain('bash .ci/run');
		for (const job of Object.values(ci.jobs))
			expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
		expect(ci.permissions).toEqual({ contents: 'read' });
	});

	test('CI provides the PostgreSQL and Redis, and the clients, that the queue-mode suite uses', () => {
		const job = ci.jobs.ci;
		expect(job.services?.postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
		expect(job.services?.postgres?.ports).toContain('5432:5432');
		expect(job.services?.redis?.ports).toContain('6379:6379');
		const installs = job.steps.map((step) => step.run ?? '').join('\n');
		expect(installs).toMatch(/postgresql-client/);
		expect(installs).toMatch(/redis-tools/);
	});

	test('CI keeps the browser test screenshots from the folder the UI test writes', () => {
		const upload = steps(ci).find((s) => s.uses?.startsWith('actions/upload-artifact@'));
		expect(upload?.with?.path).toBe('test-output/ui/');
	});

	test('release publishes with npm provenance on a version tag, after checking tag and repository', () => {
		expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
		expect(release.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		const all = runs(release);
		const publish = all.findIndex((r) => r.startsWith('npm publish --provenance'));
		expect(publish).toBeGreaterThan(-1);
		expect(all.findIndex((r) => r.includes('GITHUB_REF_NAME'))).toBeLessThan(publish);
		expect(all.findIndex((r) => r.includes('GITHUB_REPOSITORY'))).toBeLessThan(publish);
		expect(all.findIndex((r) => r === 'npm test')).toBeLessThan(publish);
		const publishStep = steps(release).find((s) => s.run?.startsWith('npm publish'));
		expect(publishStep?.env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
	});

	test('every action is pinned to a major version', () => {
		for (const step of [...steps(ci), ...steps(release)]) {
			if (step.uses) expect(step.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
		}
	});

	test('the changelog has an entry for the package version', () => {
		const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
			version: string;
		};
		expect(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8')).toContain(`## [${version}]`);
	});
});
