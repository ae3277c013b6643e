/** The browser test of the editor: Chromium driving a real n8n with the package installed. */
module.exports = {
	...require('./jest.e2e.config.js'),
	roots: ['<rootDir>/test/ui'],
	testMatch: ['**/*.ui.test.ts'],
	testTimeout: 900000,
};
