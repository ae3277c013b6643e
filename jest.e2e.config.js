/** End-to-end tests against a real n8n (provisioned by scripts/provision-n8n.sh). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	// Queue mode has its own run: npm run test:e2e:queue (jest.e2e.queue.config.js).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/queue/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', isolatedModules: true }] },
	testTimeout: 600000,
};
