/** Unit and integration tests (real HTTP on 127.0.0.1 against the sandbox). */
const os = require('node:os');

module.exports = {
	// The files spend most of their time waiting on real HTTP and timers, not on the CPU: two
	// workers even on a two-core machine (jest would pick one there) halve the wall time.
	maxWorkers: Math.max(2, os.availableParallelism() - 1),
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/', '/test/ui/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', isolatedModules: true }] },
	setupFiles: [
		'<rootDir>/test/support/n8nUserFolder.ts',
		'<rootDir>/test/support/flushTimings.ts',
		'<rootDir>/test/support/retryPolicy.ts',
	],
	testTimeout: 30000,
};
