/** Unit and integration tests (real HTTP on 127.0.0.1 against the sandbox). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/', '/test/ui/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', isolatedModules: true }] },
	setupFiles: ['<rootDir>/test/support/n8nUserFolder.ts', '<rootDir>/test/support/flushTimings.ts'],
	testTimeout: 30000,
};
